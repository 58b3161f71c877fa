{
  "type": "exhibit.signature/1",
  "signed_file": "exhibit/custody/000003.json",
  "key_id": "b65e9701b29a06b0ecb4c1a528414a7ab76f96333f6bbe7c6e121231251c91a2",
  "public_key": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlVZ4vqLK/eHsYzHqSNSpvuMv7CuVFaKu913MXI5RlRY=\n-----END PUBLIC KEY-----\n",
  "signature": "yDPQQIFo/ufnuqOMDQ4UVG2YQJBDrLL2xpXYjSElctgw8P7zsnW3HV2MHQQB2NTdCFz9fEmeZWQUzqFSZuVRDg==",
  "signer": {},
  "signed_at": "2026-01-03T00:00:00Z"
}
