//! Command-line definitions only (clap derive), so help, man pages and
//! completions can be generated from one place. Behaviour lives in the
//! sibling modules, one per command.

use std::path::PathBuf;

use exhibit::format::custody::Action;
use exhibit::i18n::Lang;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  exhibit keygen -o examiner.key --name \"A. Examiner\" --org \"Cyber Unit\"
  exhibit hash disk.img mail/ --format sha256sum > SHA256SUMS
  exhibit seal disk.img mail/ -o case-42.zip --key examiner.key --case 42 --exhibit A1
  exhibit verify case-42.zip --trust examiner.pub
  exhibit custody add case-42.zip --key examiner.key --action transfer --to-key prosecutor.pub
  exhibit extract case-42.zip -o evidence/ --trust examiner.pub
  exhibit timestamp case-42.zip --tsa https://tsa.example/tsr
  exhibit verify case-42.zip --trust examiner.pub --tsa-ca tsa-root.pem
  exhibit disclose case-42.zip mail/inbox/42.eml -o part.zip

Exit codes: 0 success (verified, trusted signer), 1 verification failed,
2 usage error or unusable input, 3 intact but no trusted signer.";

/// Electronic-evidence integrity and chain of custody: hash, sign, seal,
/// verify, custody, extract.
#[derive(Debug, Parser)]
#[command(name = "exhibit", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// No progress bars and no summary on success.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// The language of everything a person reads: en, fr, es, ru, zh, ar
    /// or vi (default: from LC_ALL, LC_MESSAGES or LANG, else English).
    /// JSON output, problem codes, digests and names stay as they are.
    #[arg(long, global = true, value_name = "TAG", value_parser = parse_lang)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Hash files and folders (SHA-256 and BLAKE3 in one read pass).
    #[command(after_help = HASH_HELP)]
    Hash(HashArgs),
    /// Create a new Ed25519 signing key pair (NAME.key and NAME.pub).
    Keygen(KeygenArgs),
    /// Key utilities.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Audit a working copy: every file matched, changed, new, moved or
    /// missing against a bundle or a list of digests. Exit 0 all matched,
    /// 1 any difference, 2 a file that cannot be read.
    Audit(AuditArgs),
    /// Forensic images (EWF .E01/.Ex01): check one against its own stored hashes.
    #[command(subcommand)]
    Image(ImageCommand),
    /// Seal files and folders into a signed evidence bundle.
    #[command(
        after_help = SEAL_HELP,
        // A shard copies files into the bundle being built: nothing to sign.
        mut_arg("key", |key| key.required_unless_present_any(["cert", "pkcs11", "shard"]))
    )]
    Seal(SealArgs),
    /// Plan a seal across machines: list the sources once, split them into
    /// shards for `hash --plan`, merged by `seal --plan`.
    #[command(after_help = PLAN_HELP)]
    Plan(PlanArgs),
    /// Verify a bundle: payload, seal, signatures, custody chain, trust.
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),
    /// Add a co-signature over a bundle's seal statement.
    Sign(SignArgs),
    /// Verify a bundle, then write its payload to a folder.
    Extract(ExtractArgs),
    /// Make a bundle of some payload files, each proven part of the seal,
    /// revealing nothing about the files left out.
    #[command(after_help = DISCLOSE_HELP)]
    Disclose(DiscloseArgs),
    /// Show case metadata, signers and custody without hashing the payload.
    Inspect(InspectArgs),
    /// Trust policies: check one and see what it allows.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Undo what an interrupted `sign` or `custody add` left behind.
    #[command(after_help = RECOVER_HELP)]
    Recover(RecoverArgs),
    /// Chain of custody: add events, show the timeline, replay the checks.
    #[command(subcommand)]
    Custody(CustodyCommand),
    /// Add RFC 3161 time-stamp tokens to the signatures that have none.
    #[command(after_help = TIMESTAMP_HELP)]
    Timestamp(TimestampArgs),
    /// Add the CRLs / OCSP responses of every certificate chain the bundle
    /// relies on (long-term validation), online or air-gapped.
    #[command(after_help = LTV_HELP)]
    Ltv(LtvArgs),
    /// Add or renew the bundle's RFC 4998 evidence record: an archive
    /// time-stamp over its tag files, renewed before its certificates expire.
    #[command(after_help = RENEW_HELP)]
    Renew(RenewArgs),
    /// Write the offline verification page: one HTML file that runs this
    /// version's verifier in a browser, with nothing installed.
    #[command(after_help = VERIFIER_PAGE_HELP)]
    VerifierPage(VerifierPageArgs),
    /// Export a bundle for other tools (CASE / UCO JSON-LD).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man -l -` or a man folder.
    #[command(after_help = MANPAGE_HELP)]
    Manpage,
}

const TIMESTAMP_HELP: &str = "\
Examples:
  exhibit timestamp case-42.zip --tsa https://tsa.example/tsr
  exhibit timestamp case-42.zip --request-dir queries/      # air-gapped: write .tsq files
  openssl ts -reply -queryfile queries/seal-<key_id>.tsq ... -out seal.tsr   # at the TSA
  exhibit timestamp case-42.zip --attach seal.tsr custody-000002.tsr

A token covers one signature: its imprint is SHA-256 of the 64 raw signature
bytes. Seal signatures' tokens are stored as exhibit/timestamps/<key_id>.tsr,
custody events' as exhibit/custody/NNNNNN.tsr. Nothing in the bundle is
rewritten. Check them with verify --tsa-ca ROOT.pem.";

const LTV_HELP: &str = "\
Examples:
  exhibit ltv case-42.zip --tsa-ca tsa-root.pem --ca ca-root.pem
  exhibit ltv case-42.zip --tsa-ca tsa-root.pem --request-dir requests/   # air-gapped
  exhibit ltv case-42.zip --tsa-ca tsa-root.pem --attach answer.ocsp ca.crl

Every certificate of the chains the bundle relies on (its tokens' TSAs, its
evidence record's TSAs, its certificate signers) gets an OCSP response from the
responder it names, else the CRL of its distribution point. Each is checked
(signed by the issuer, about that certificate) and stored under
exhibit/validation/; nothing is stored if one fails. The roots (--tsa-ca,
--ca) complete the chains: without them the last issuer is unknown.";

const RENEW_HELP: &str = "\
Examples:
  exhibit renew case-42.zip --tsa http://tsa.example/ --tsa-ca tsa-root.pem
  exhibit renew case-42.zip --tsa http://tsa.example/ --hash sha512   # hash-tree renewal
  exhibit renew case-42.zip --request-dir queries/                     # air-gapped
  exhibit renew case-42.zip --attach evidence-record.tsr

The first call writes exhibit/evidence-record.ers (RFC 4998): an archive
time-stamp over a hash tree of the bundle's tag files. Each later call adds an
archive time-stamp over the previous one (time-stamp renewal: do it before the
last TSA certificate expires; `exhibit inspect` says when), or with --hash a new
chain over the tag files and the old chains (hash-tree renewal: when a hash
algorithm weakens). With --tsa, the new time-stamp's validation material is
fetched too.";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").args(["request_dir", "attach"]).multiple(false)))]
pub struct LtvArgs {
    /// The bundle.
    pub bundle: PathBuf,
    /// Roots that complete the chains (--tsa-ca, --ca).
    #[command(flatten)]
    pub roots: RootArgs,
    /// Seconds to wait for each responder or CRL, connecting included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Air-gapped: write the OCSP requests and a list of what to fetch where
    /// into DIR.
    #[arg(long, value_name = "DIR")]
    pub request_dir: Option<PathBuf>,
    /// Add these CRL / OCSP response files (DER), each for the certificate it
    /// speaks of; one that speaks of none refuses them all.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub attach: Vec<PathBuf>,
    #[command(flatten)]
    pub time: TimeArgs,
}

/// The roots `ltv` and `renew` complete chains with.
#[derive(Debug, Args)]
pub struct RootArgs {
    /// A TSA root certificate (PEM); repeatable.
    #[arg(long = "tsa-ca", value_name = "FILE.pem")]
    pub tsa_ca: Vec<PathBuf>,
    /// A root certificate (PEM) of certificate signers; repeatable.
    #[arg(long = "ca", value_name = "ROOT.pem")]
    pub ca: Vec<PathBuf>,
}

const VERIFIER_PAGE_HELP: &str = "\
The page is self-contained (the verifier inlined as WebAssembly) and makes
no network request: open it from disk in a current Chromium, Firefox or
Safari, choose the bundle (and any trusted keys, roots or policy), and it
gives the verdict `exhibit verify` gives. It is the file web/verify.html of
this version's source, built reproducibly by scripts/build-verifier-page;
compare the SHA-256 printed here with the one published before relying on
a copy you were sent.

Examples:
  exhibit verifier-page -o verify.html";

#[derive(Debug, Args)]
pub struct VerifierPageArgs {
    /// Where to write the page (refused if it exists).
    #[arg(short, long, value_name = "FILE.html")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["tsa", "request_dir", "attach"])))]
pub struct RenewArgs {
    /// The bundle.
    pub bundle: PathBuf,
    /// Ask the time-stamping authority at this URL (HTTP or HTTPS).
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Seconds to wait for the TSA (and each responder), connecting included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "tsa")]
    pub tsa_timeout: u64,
    /// Air-gapped: write the query (evidence-record.tsq, DER) into DIR.
    #[arg(long, value_name = "DIR")]
    pub request_dir: Option<PathBuf>,
    /// Add this time-stamp response (.tsr, DER), the answer to that query.
    #[arg(long, value_name = "FILE.tsr")]
    pub attach: Option<PathBuf>,
    /// Hash-tree renewal: a new chain over the tag files and the old chains,
    /// with this algorithm (and the algorithm of a new record).
    #[arg(long, value_name = "ALGORITHM", value_parser = ["sha256", "sha384", "sha512"])]
    pub hash: Option<String>,
    #[command(flatten)]
    pub roots: RootArgs,
    #[command(flatten)]
    pub time: TimeArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["tsa", "request_dir", "attach"])))]
pub struct TimestampArgs {
    /// The bundle.
    pub bundle: PathBuf,
    /// Ask the time-stamping authority at this URL (HTTP or HTTPS) for every
    /// missing token.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Seconds to wait for the TSA, connecting included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "tsa")]
    pub tsa_timeout: u64,
    /// Air-gapped: write one time-stamp query (.tsq, DER) per missing token
    /// into DIR, named after the signature it is for.
    #[arg(long, value_name = "DIR")]
    pub request_dir: Option<PathBuf>,
    /// Add these time-stamp responses (.tsr, DER), each to the signature it
    /// covers; one that covers nothing in the bundle refuses them all.
    #[arg(long, value_name = "FILE.tsr", num_args = 1..)]
    pub attach: Vec<PathBuf>,
    #[command(flatten)]
    pub time: TimeArgs,
}

/// Time-stamping while signing (`seal`, `sign`, `custody add`).
#[derive(Debug, Args)]
pub struct TsaArgs {
    /// Also get an RFC 3161 time-stamp token for the new signature from the
    /// TSA at this URL; if it fails, nothing is written.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    /// Seconds to wait for the TSA, connecting included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "tsa")]
    pub tsa_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Verify the bundle, then write the seal, payload files and custody
    /// events as CASE / UCO JSON-LD.
    #[command(after_help = EXPORT_CASE_HELP)]
    Case(ExportCaseArgs),
}

const EXPORT_CASE_HELP: &str = "\
Examples:
  exhibit export case case-42-A1.zip -o case-42-A1.jsonld --trust examiner.pub

The bundle is verified first (the payload hashed); the verdict is written
into the export (a provenance record and a verification action) and is the
exit code, as for verify: 0 verified, 1 failed, 3 untrusted. A bundle that
does not verify is still exported. Exit 2: not a bundle, or unusable input.";

#[derive(Debug, Args)]
pub struct ExportCaseArgs {
    /// The bundle: a folder or a zip file.
    pub bundle: PathBuf,
    /// The JSON-LD file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE.jsonld")]
    pub output: PathBuf,
    #[command(flatten)]
    pub trust: TrustArgs,
}

const COMPLETIONS_HELP: &str = "\
Examples:
  exhibit completions bash > /etc/bash_completion.d/exhibit
  exhibit completions zsh > \"${fpath[1]}/_exhibit\"
  exhibit completions fish > ~/.config/fish/completions/exhibit.fish
  exhibit completions powershell >> $PROFILE";

const MANPAGE_HELP: &str = "\
Examples:
  exhibit manpage | man -l -
  exhibit manpage > /usr/local/share/man/man1/exhibit.1";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// One value per run, parsed once: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum CustodyCommand {
    /// Append a signed custody event (checks the existing chain first).
    #[command(after_help = CUSTODY_ADD_HELP)]
    Add(CustodyAddArgs),
    /// Print the custody timeline and the log head.
    Log(CustodyLogArgs),
    /// Re-check every event: links, signatures, hand-over rules, trust.
    Replay(CustodyReplayArgs),
}

const CUSTODY_ADD_HELP: &str = "\
Examples:
  exhibit custody add case.zip --key focal-point.key --action transfer --to-key prosecutor.pub \\
      --note \"MLA request 2026/17\" --location \"Hanoi\"
  exhibit custody add case.zip --key prosecutor.key --action receive --location \"Lyon\"

Actions: transfer (needs --to-key), receive (only by the key the open transfer
named), access, copy, analyze, return, note. While a transfer is open, only
its recipient may act.";

/// The actions `custody add` records (clap suggests the nearest one for a
/// misspelling). `seal` and `disclose` are accepted but not offered: each
/// is written by its own command, and the refusal names it.
fn addable_action() -> clap::builder::PossibleValuesParser {
    Action::ALL
        .iter()
        .map(|a| {
            clap::builder::PossibleValue::new(a.as_str())
                .hide(!a.can_be_added() || *a == Action::Disclose)
        })
        .collect::<Vec<_>>()
        .into()
}

#[derive(Debug, Args)]
pub struct CustodyAddArgs {
    /// The bundle to extend.
    pub bundle: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// What happened.
    #[arg(long, value_name = "ACTION", value_parser = addable_action())]
    pub action: String,
    /// The recipient's public key (required for transfer).
    #[arg(long, value_name = "FILE.pub")]
    pub to_key: Option<PathBuf>,
    /// Free text recorded in the event.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Where it happened.
    #[arg(long, value_name = "TEXT")]
    pub location: Option<String>,
    /// Actor name to record (defaults to the name kept with the key).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Actor organization to record.
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
}

#[derive(Debug, Args)]
pub struct CustodyLogArgs {
    /// The bundle.
    pub bundle: PathBuf,
    /// A TSA root certificate (PEM) whose time-stamp tokens prove the
    /// events' times; repeatable. Without one, token times are unproven.
    #[arg(long = "tsa-ca", value_name = "FILE.pem")]
    pub tsa_ca: Vec<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CustodyReplayArgs {
    /// The bundle.
    pub bundle: PathBuf,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Fail unless the log ends at this head (`<seq>:<sha256>`, as printed by
    /// `log` and `replay`), received from the sender by another channel.
    #[arg(long, value_name = "HEAD")]
    pub expect_head: Option<String>,
}

const SEAL_HELP: &str = "\
Examples:
  exhibit seal disk.img mail/ -o case-42-A1.zip --key examiner.key --case 42 --exhibit A1
  exhibit seal phone/ -o bundle-dir --key examiner.key --case 42 --exhibit B7 \\
      --examiner \"A. Examiner\" --org \"Cyber Unit\" --meta Seizure-Place=Hanoi

Each source goes under data/ by its own name (disk.img -> data/disk.img,
mail/ -> data/mail/...). OUT ending in .zip gives a zip bundle, anything else a
folder. OUT must not exist; the bundle appears there only when complete.
Symbolic links are recorded in the seal statement, never followed.

Across machines (docs/SCALE.md), the data moving once:
  exhibit plan /evidence/case -o plan.json --shards 4
  exhibit seal --plan plan.json --shard 0 -o case-42-A1.zip     (one per shard, anywhere)
  exhibit seal --plan plan.json --finish -o case-42-A1.zip --key examiner.key --case 42 --exhibit A1";

const VERIFY_HELP: &str = "\
Examples:
  exhibit verify case-42-A1.zip --trust examiner.pub
  exhibit verify received/ --trust examiner.pub --json > report.json

Exit codes: 0 verified and signed by a trusted key; 1 something does not
match (each problem is listed); 2 not a bundle or unusable input; 3 intact,
but no --trust key signed the seal. A plain BagIt bag (no exhibit/ folder)
is checked as a bag and gives 3 when complete and valid.

Across machines (docs/VERIFYING.md): each job reads one share of the payload
into a part, then --parts gives the verdict a plain verify would:
  exhibit verify case-42-A1.zip --shard 0/4 -o parts/0.part   (one per share, anywhere)
  exhibit verify case-42-A1.zip --parts parts/ --trust examiner.pub
--shard exits 0 once its part is written (2: no such share, unusable bundle,
part not writable) and takes no --json or --report; --parts takes every flag
a plain verify takes.";

/// `--time`, on the commands that write a time into a bundle.
#[derive(Debug, Args, Clone, Default)]
pub struct TimeArgs {
    /// Fix the time written into the bundle (RFC 3339, e.g.
    /// 2026-01-31T12:00:00Z). Defaults to SOURCE_DATE_EPOCH, then the clock.
    #[arg(long, value_name = "RFC3339")]
    pub time: Option<String>,
}

/// Who signs: `--key KEY`, `--cert FILE.p12` or `--pkcs11 URI`, one of them.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Secret key (PKCS#8 PEM, encrypted or not).
    #[arg(
        long,
        value_name = "KEY",
        required_unless_present_any = ["cert", "pkcs11"],
        conflicts_with_all = ["cert", "pkcs11"]
    )]
    pub key: Option<PathBuf>,
    /// Sign with the key and certificate of a PKCS#12 file instead (a
    /// detached CMS signature; passphrase asked, or EXHIBIT_PASSPHRASE).
    #[arg(long, value_name = "FILE.p12", conflicts_with = "pkcs11")]
    pub cert: Option<PathBuf>,
    /// Sign on a PKCS#11 token (smart card) instead: the key and the
    /// certificate an RFC 7512 URI names, e.g. pkcs11:token=Examiner;object=seal
    /// (PIN asked, or EXHIBIT_PKCS11_PIN).
    #[arg(long, value_name = "URI")]
    pub pkcs11: Option<String>,
    /// The PKCS#11 module (a .so) that reaches the token; default
    /// EXHIBIT_PKCS11_MODULE.
    #[arg(long, value_name = "PATH", requires = "pkcs11")]
    pub pkcs11_module: Option<PathBuf>,
    /// Intermediate certificates (PEM) to include with --cert or --pkcs11;
    /// repeatable.
    #[arg(long, value_name = "FILE.pem")]
    pub cert_chain: Vec<PathBuf>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

#[derive(Debug, Args)]
pub struct SealArgs {
    /// Files and folders to seal.
    #[arg(
        required_unless_present = "plan",
        conflicts_with = "plan",
        value_name = "SRC"
    )]
    pub sources: Vec<PathBuf>,
    /// Seal the sources of this plan (`exhibit plan`): with --parts,
    /// checking every file against the parts of `hash --plan`; with
    /// --shard, copying one shard into the bundle being built; with
    /// --finish, writing the metadata of the bundle the shards built.
    #[arg(long, value_name = "PLAN.json", requires = "plan_step")]
    pub plan: Option<PathBuf>,
    /// The folder holding the plan's parts (`*.part`, from `hash --plan`).
    #[arg(long, value_name = "DIR", requires = "plan", group = "plan_step")]
    pub parts: Option<PathBuf>,
    /// Copy and hash this shard of the plan (0-based, e.g.
    /// $SLURM_ARRAY_TASK_ID) straight into the bundle being built at OUT.
    #[arg(long, value_name = "I", requires = "plan", group = "plan_step")]
    pub shard: Option<u64>,
    /// With --shard and a zip OUT: write the shard's entries into a segment
    /// file of its own, joined by --finish, for file systems that cannot
    /// take several writers to one file (NFS).
    #[arg(long, requires = "shard")]
    pub segment: bool,
    /// Check the shards' parts and write the manifests, seal, signature and
    /// custody of the bundle they built at OUT, reading no payload byte.
    #[arg(long, requires = "plan", group = "plan_step")]
    pub finish: bool,
    /// The bundle to create (`.zip` for a zip bundle, otherwise a folder).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Case identifier.
    #[arg(long = "case", value_name = "ID", required_unless_present = "shard")]
    pub case_id: Option<String>,
    /// Exhibit identifier within the case.
    #[arg(long = "exhibit", value_name = "ID", required_unless_present = "shard")]
    pub exhibit_id: Option<String>,
    /// Examiner name (defaults to the name kept with the key).
    #[arg(long, value_name = "TEXT")]
    pub examiner: Option<String>,
    /// Examiner organization (defaults to the one kept with the key).
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,
    /// What the evidence is.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Extra metadata, written to bag-info.txt and the seal statement.
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    pub meta: Vec<String>,
    /// Forensic images (EWF .E01/.Ex01, found by content) among the
    /// sources: auto reads each whole, compares its media hashes with the
    /// ones its imager stored and records both in the seal statement; none
    /// seals them as plain files.
    #[arg(long, value_name = "auto|none", default_value = "auto", value_parser = ["auto", "none"])]
    pub image_check: String,
    /// Seal an image whose media does not match its stored hashes, recorded
    /// as a mismatch in the seal statement (otherwise nothing is sealed).
    #[arg(long, conflicts_with = "finish")]
    pub allow_image_mismatch: bool,
    /// A raw image among the sources and the log its imager wrote (FTK
    /// Imager .txt, Guymager .info, dc3dd log): the hashes the log states
    /// are compared with the image's and recorded, as for an EWF image.
    #[arg(long, value_name = "SOURCE=LOG", conflicts_with = "finish")]
    pub acquisition_log: Vec<String>,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// A public key (SPKI PEM) whose signatures you trust, for everything,
    /// always; repeatable.
    #[arg(long = "trust", value_name = "FILE.pub")]
    pub trust: Vec<PathBuf>,
    /// A TSA root certificate (PEM) whose time-stamp tokens you trust;
    /// repeatable. Without one, token times are reported as unproven.
    #[arg(long = "tsa-ca", value_name = "FILE.pem")]
    pub tsa_ca: Vec<PathBuf>,
    /// A root certificate (PEM, one or more) for signatures made with an
    /// X.509 certificate; repeatable. A certificate signer is trusted when
    /// its chain reaches one, valid at the signing time.
    #[arg(long = "ca", value_name = "ROOT.pem")]
    pub ca: Vec<PathBuf>,
    /// A trust policy (TOML): which keys may seal or sign custody events,
    /// when, which were revoked, how many sealers are needed (docs/TRUST.md).
    #[arg(long = "trust-policy", value_name = "FILE")]
    pub trust_policy: Option<PathBuf>,
    /// Judge the bundle as of this moment (RFC 3339, e.g.
    /// 2036-01-01T00:00:00Z) instead of now: what a court would see then,
    /// and whether a proof has lapsed by then.
    #[arg(long = "at", value_name = "RFC3339", value_parser = parse_moment)]
    pub at: Option<exhibit::time::UtcTime>,
}

fn parse_moment(text: &str) -> Result<exhibit::time::UtcTime, String> {
    exhibit::time::UtcTime::parse_rfc3339(text).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Check a trust policy and print what it allows.
    Check(TrustCheckArgs),
}

#[derive(Debug, Args)]
pub struct TrustCheckArgs {
    /// The policy file.
    pub policy: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle: a folder or a zip file.
    pub bundle: PathBuf,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Print a machine-readable report on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also write an HTML report to this file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// The language(s) of the HTML report, when not --lang's: one tag, or
    /// two (fr,en: the court's language first, the sender's beside it).
    #[arg(long, value_name = "TAG[,TAG]", value_delimiter = ',', value_parser = parse_lang, requires = "report")]
    pub report_lang: Vec<Lang>,
    /// Read only share I of N of the payload (0-based, e.g. 3/8) and write
    /// what was read to the part -o PART; no verdict (see --parts).
    #[arg(long, value_name = "I/N", value_parser = parse_share, requires = "part",
          conflicts_with_all = ["parts", "json", "report"])]
    pub shard: Option<ShareArg>,
    /// The part --shard writes (replaced if it exists).
    #[arg(
        short = 'o',
        long = "output",
        id = "part",
        value_name = "PART",
        requires = "shard"
    )]
    pub part: Option<PathBuf>,
    /// Combine the parts in DIR (`*.part`, from --shard) into the verdict
    /// a plain verify gives, without reading the payload again.
    #[arg(long, value_name = "DIR")]
    pub parts: Option<PathBuf>,
}

/// `--shard I/N`: share I (0-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareArg {
    pub shard: u64,
    pub shards: u64,
}

/// `I/N`, decimal, with I < N.
fn parse_share(text: &str) -> Result<ShareArg, String> {
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let Some((shard, shards)) = text
        .split_once('/')
        .and_then(|(i, n)| Some((number(i)?, number(n)?)))
    else {
        return Err("expected I/N: share I (from 0) of N shares, e.g. 0/4".into());
    };
    exhibit::ops::verify::check_share(shard, shards).map_err(|e| e.to_string())?;
    Ok(ShareArg { shard, shards })
}

/// A language tag exhibit speaks (`fr`, `fr-FR`, `fr_FR.UTF-8`).
fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| {
        let tags: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
        format!("exhibit speaks {}", tags.join(", "))
    })
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The bundle to co-sign.
    pub bundle: PathBuf,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Signer name to record (defaults to the name kept with the key).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Signer organization to record.
    #[arg(long, value_name = "TEXT")]
    pub org: Option<String>,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub tsa: TsaArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The bundle to extract.
    pub bundle: PathBuf,
    /// Folder to write the payload to (must be absent or empty).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Extract even when no --trust key signed the seal (exit 3 otherwise).
    #[arg(long)]
    pub allow_untrusted: bool,
    /// Print the verification report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

const DISCLOSE_HELP: &str = "\
Examples:
  exhibit disclose case-42.zip mail/inbox/42.eml phone/sms.csv -o to-defence.zip
  exhibit disclose case-42.zip mail/ -o mail-only --key prosecutor.key --note \"court order 7\"

PATH is a payload path as `extract` writes it, or a folder (every file below
it). OUT holds only those files, the seal, its signatures and the custody log,
and a proof per file against the sealed Merkle root; `exhibit verify OUT`
checks it. With --key, a `disclose` custody event (file count and the proof
document's SHA-256) is first appended to BUNDLE, and OUT includes it. Only
bundles sealed in format 2 can be disclosed.";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signer").args(["key", "cert"]).multiple(false)))]
pub struct DiscloseArgs {
    /// The full bundle to disclose from (format 2).
    pub bundle: PathBuf,
    /// Payload files or folders to disclose, as `extract` writes them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The disclosure bundle to create (`.zip` for a zip, otherwise a folder).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Record the disclosure in BUNDLE's custody log, signed with this key.
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,
    /// Record it signed with the key and certificate of a PKCS#12 file.
    #[arg(long, value_name = "FILE.p12")]
    pub cert: Option<PathBuf>,
    /// Intermediate certificates (PEM) to include with --cert; repeatable.
    #[arg(long, value_name = "FILE.pem", requires = "cert")]
    pub cert_chain: Vec<PathBuf>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// Free text for the custody event (needs --key or --cert).
    #[arg(long, value_name = "TEXT", requires = "signer")]
    pub note: Option<String>,
    /// Actor name to record (defaults to the name kept with the key).
    #[arg(long, value_name = "TEXT", requires = "signer")]
    pub name: Option<String>,
    /// Actor organization to record.
    #[arg(long, value_name = "TEXT", requires = "signer")]
    pub org: Option<String>,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Time-stamp the disclose event's signature (needs --key)
    #[command(flatten)]
    pub tsa: TsaArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The bundle to inspect.
    pub bundle: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
}

const RECOVER_HELP: &str = "\
Reading commands judge a bundle as it is. If `sign` or `custody add` was
interrupted while appending to a zip bundle, the zip can be unreadable until
the append is rolled back; `verify` then says so. `recover` takes the
bundle's lock and rolls the append back (the bundle is as it was before it);
the next `sign` or `custody add` does the same by itself.";

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The bundle to recover.
    pub bundle: PathBuf,
}

const HASH_HELP: &str = "\
Examples:
  exhibit hash disk.img                       # sha256sum-style lines
  exhibit hash mail/ --format b3sum > B3SUMS  # b3sum -c B3SUMS checks them
  exhibit hash phone/ --format json           # path, size, sha256, blake3
  exhibit hash phone/ --format hashdeep > known.txt  # hashdeep -a -k known.txt -r phone/
  exhibit hash phone/ --format dfxml > phone.dfxml

Folders are walked recursively and output is sorted by path. Symbolic links
are never followed; they are reported on stderr. A missing or unreadable path
is reported, the others are still hashed, and the exit code is 2. A name a
format cannot hold exactly (a line break in a hashdeep file, a control
character in DFXML, a name that is not UTF-8 in JSON or DFXML) is reported
and left out, and the exit code is 2.";

#[derive(Debug, Args)]
pub struct HashArgs {
    /// Files and folders to hash.
    #[arg(
        required_unless_present = "plan",
        conflicts_with = "plan",
        value_name = "PATH"
    )]
    pub paths: Vec<PathBuf>,

    /// Hash one shard of this plan (`exhibit plan`) into a part file.
    #[arg(long, value_name = "PLAN.json", requires_all = ["shard", "output"])]
    pub plan: Option<PathBuf>,
    /// The shard to hash (0-based), e.g. $SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "I", requires = "plan")]
    pub shard: Option<u64>,
    /// The part file to write (atomically; a rerun replaces it).
    #[arg(short = 'o', long = "output", value_name = "PART", requires = "plan")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = HashFormat::Sha256sum)]
    pub format: HashFormat,
}

const PLAN_HELP: &str = "\
Sealing across machines (docs/SCALE.md):
  exhibit plan /evidence/case -o plan.json --shards 4
  exhibit hash --plan plan.json --shard 0 -o parts/0.part    (one per shard, anywhere)
  exhibit seal --plan plan.json --parts parts/ -o case.zip --key examiner.key --case 42 --exhibit A1

The sources are recorded as absolute paths: every machine must see them at
the same path. Exit codes: 0 planned, 2 a source cannot be planned (the
same refusals as seal).";

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Files and folders to plan a seal of.
    #[arg(required = true, value_name = "SRC")]
    pub sources: Vec<PathBuf>,
    /// The plan to write (JSON Lines); refuses to overwrite.
    #[arg(short = 'o', long = "output", value_name = "PLAN.json")]
    pub output: PathBuf,
    /// How many shards (jobs) to split the payload into, by bytes.
    #[arg(long, value_name = "N")]
    pub shards: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HashFormat {
    /// `<sha256>  <path>` lines, accepted by `sha256sum -c`.
    Sha256sum,
    /// `<blake3>  <path>` lines, accepted by `b3sum -c`.
    B3sum,
    /// A JSON array of {path, size, sha256, blake3}.
    Json,
    /// A hashdeep file (size,sha256,filename), audited by `hashdeep -a -k FILE`.
    Hashdeep,
    /// DFXML: one `fileobject` per file with `filename`, `filesize` and a
    /// SHA-256 `hashdigest`.
    Dfxml,
}

#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// Read the secret key's passphrase from this file (first line).
    /// Otherwise EXHIBIT_PASSPHRASE, then a prompt when stdin is a terminal.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Secret key file to write (NAME.key); the public key goes to NAME.pub.
    #[arg(short = 'o', long = "output", value_name = "NAME.key")]
    pub output: PathBuf,
    /// Claimed signer name, kept beside the key and used as default signer name.
    #[arg(long)]
    pub name: Option<String>,
    /// Claimed organization.
    #[arg(long)]
    pub org: Option<String>,
    /// Overwrite existing key files.
    #[arg(long)]
    pub force: bool,
    /// Write the secret key unencrypted even when a passphrase could be asked for.
    #[arg(long, conflicts_with = "passphrase_file")]
    pub no_passphrase: bool,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("against_what").required(true).args(["against", "known"])))]
pub struct AuditArgs {
    /// The folder to audit (a copy extracted from a bundle, say).
    pub dir: PathBuf,
    /// The bundle whose payload manifest the folder should match.
    #[arg(long, value_name = "BUNDLE")]
    pub against: Option<PathBuf>,
    /// A list of digests: sha256sum or b3sum lines, hashdeep (-c sha256),
    /// DFXML, or the JSON of `exhibit verify --json`.
    #[arg(long, value_name = "FILE")]
    pub known: Option<PathBuf>,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Keep the files hashed so far in STATE, and continue from it when it
    /// exists (an interrupted audit does not read a file twice).
    #[arg(long, value_name = "STATE")]
    pub resume: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Read an image's whole media data and compare its MD5, SHA-1 and
    /// SHA-256 with the hashes the imager stored (as ewfverify does); a
    /// chunk that fails its checksum is named with its media offset.
    /// Exit 0 match, 1 mismatch, corrupt chunk or no stored hash, 2 unusable.
    Verify(ImageVerifyArgs),
}

#[derive(Debug, Args)]
pub struct ImageVerifyArgs {
    /// The image's first segment (image.E01 or image.Ex01); the others are
    /// found beside it.
    pub image: PathBuf,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Print the key id (SHA-256 of the raw public key) of a .key or .pub file.
    Id(KeyIdArgs),
}

#[derive(Debug, Args)]
pub struct KeyIdArgs {
    /// A secret (.key) or public (.pub) key file.
    pub file: PathBuf,
    /// Print the short form (first 16 hex digits) used for display.
    #[arg(long)]
    pub short: bool,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}
