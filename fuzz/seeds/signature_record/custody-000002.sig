{
  "type": "exhibit.signature/1",
  "signed_file": "exhibit/custody/000002.json",
  "key_id": "43f97083a31c159e1bcb47cd603c73494704431b90cfc483d17df699496c8209",
  "public_key": "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAb+/wYK0bTjfP34hrfe+61JsrJHXYv8QecVf9rljWDKg=\n-----END PUBLIC KEY-----\n",
  "signature": "VG6ASECOcNxmtgGUhnbFfRoAYDzaflugPpFIH2ZPyhmTzl2lHTrUGEvtZV8EtqP50ZjxWWybEH3RxCKBjHGlCw==",
  "signer": {},
  "signed_at": "2026-01-02T00:00:00Z"
}
