//! The shipped Slurm job arrays, run on a real Slurm cluster of two nodes
//! on this one machine: the test writes a munge key and a `slurm.conf`
//! with two nodes (`n0`, `n1`, each 2 CPUs, each its own `slurmd -N` on
//! its own port) into a temporary folder, starts `munged`, `slurmctld` and
//! both `slurmd` (as root, in the foreground, as its own children), and
//! submits the job files unchanged with `sbatch --wait --array`, one task
//! per node at a time (`--exclusive`), checking that both nodes took
//! tasks: `contrib/slurm/exhibit-hash.sbatch`, whose parts `seal --plan
//! --parts` merges; `contrib/slurm/exhibit-seal.sbatch`, whose shards write
//! the bundle that `seal --plan --finish` completes (both bundles must be a
//! plain seal's bytes); and `contrib/slurm/exhibit-verify.sbatch`, whose
//! shares `verify --parts` combines into the JSON a plain verify prints.
//! The daemons are stopped however the test ends.
//!
//! Ignored by `cargo test`; `scripts/test --cluster` runs it.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{
    content, find_tool, in_ci, record_skip, stderr, stdout, tool_or_skip, Dir, EXE, TIME,
};

const TEST: &str = "cluster::slurm_job_array_hashes_the_shards_and_one_seal_comes_out";
const SHARDS: usize = 3;
/// Two Slurm nodes on this one machine, each its own `slurmd -N`.
const NODES: [&str; 2] = ["n0", "n1"];

/// The daemons, killed when dropped.
struct Daemons(Vec<(&'static str, Child)>);

impl Drop for Daemons {
    fn drop(&mut self) {
        for (_, child) in self.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A daemon binary: on PATH, or in /usr/sbin (not always on a user's PATH).
fn daemon(name: &str) -> Option<PathBuf> {
    find_tool(name)
        .or_else(|| Some(Path::new("/usr/sbin").join(name)).filter(|p| p.is_file()))
        .or_else(|| tool_or_skip(name, TEST))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn slurm_conf(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "\
ClusterName=exhibit-test
SlurmctldHost=localhost
SlurmctldPort={ctld}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d}/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool-%n
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd-%n.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=n0 NodeHostname=localhost NodeAddr=127.0.0.1 Port={n0} CPUs=2 State=UNKNOWN
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port={n1} CPUs=2 State=UNKNOWN
PartitionName=exhibit Nodes=n0,n1 Default=YES MaxTime=INFINITE State=UP
",
        ctld = free_port(),
        n0 = free_port(),
        n1 = free_port(),
    )
}

fn spawn(
    name: &'static str,
    program: &Path,
    args: &[&str],
    conf: &Path,
    log: &Path,
) -> (&'static str, Child) {
    let log = fs::File::create(log).unwrap();
    let child = Command::new(program)
        .args(args)
        .env("SLURM_CONF", conf)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (name, child)
}

/// Waits until `check` holds, or fails with the daemons' logs.
fn wait_for(what: &str, timeout: Duration, logs: &Path, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        if start.elapsed() > timeout {
            let mut text = String::new();
            for log in [
                "munged.out",
                "slurmctld.log",
                "slurmctld.out",
                "slurmd-n0.log",
                "slurmd-n0.out",
                "slurmd-n1.log",
                "slurmd-n1.out",
            ] {
                let body = fs::read_to_string(logs.join(log)).unwrap_or_default();
                let tail: Vec<&str> = body.lines().rev().take(15).collect();
                text.push_str(&format!("--- {log}\n"));
                for line in tail.into_iter().rev() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            panic!("timed out waiting for {what}\n{text}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
#[ignore = "starts a Slurm cluster as root; run by scripts/test --cluster"]
fn slurm_job_array_hashes_the_shards_and_one_seal_comes_out() {
    if !is_root() {
        assert!(
            !in_ci(),
            "{TEST}: the Slurm daemons need root, and under CI this test may not be skipped"
        );
        record_skip(TEST, "not root (the Slurm daemons need root)");
        return;
    }
    let tools: Option<Vec<PathBuf>> = ["munged", "slurmctld", "slurmd", "sbatch", "sinfo"]
        .iter()
        .map(|name| daemon(name))
        .collect();
    let Some(tools) = tools else { return };
    let [munged, slurmctld, slurmd, sbatch, sinfo] = &tools[..] else {
        unreachable!()
    };

    let dir = Dir::new();
    let cluster = dir.mkdir("cluster");
    for sub in ["munge", "state", "spool-n0", "spool-n1"] {
        fs::create_dir_all(cluster.join(sub)).unwrap();
    }
    // A fresh munge key, readable by root only (munged refuses others).
    let key_bytes = content(1024, 0x6d75_6e67);
    let munge_key = cluster.join("munge/munge.key");
    fs::write(&munge_key, key_bytes).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&munge_key, fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(cluster.join("munge"), fs::Permissions::from_mode(0o700)).unwrap();
    let conf = cluster.join("slurm.conf");
    fs::write(&conf, slurm_conf(&cluster)).unwrap();

    let munge = cluster.join("munge");
    let mut daemons = Daemons(Vec::new());
    daemons.0.push(spawn(
        "munged",
        munged,
        &[
            "--foreground",
            "--force",
            "--key-file",
            munge_key.to_str().unwrap(),
            "--socket",
            munge.join("munge.socket").to_str().unwrap(),
            "--pid-file",
            munge.join("munged.pid").to_str().unwrap(),
            "--seed-file",
            munge.join("munged.seed").to_str().unwrap(),
            "--log-file",
            cluster.join("munged.log").to_str().unwrap(),
        ],
        &conf,
        &cluster.join("munged.out"),
    ));
    wait_for("munged", Duration::from_secs(20), &cluster, || {
        munge.join("munge.socket").exists()
    });
    let conf_arg = conf.to_str().unwrap();
    daemons.0.push(spawn(
        "slurmctld",
        slurmctld,
        &["-D", "-i", "-f", conf_arg],
        &conf,
        &cluster.join("slurmctld.out"),
    ));
    for node in NODES {
        daemons.0.push(spawn(
            "slurmd",
            slurmd,
            &["-D", "-N", node, "-f", conf_arg],
            &conf,
            &cluster.join(format!("slurmd-{node}.out")),
        ));
    }
    wait_for(
        "the nodes to be idle",
        Duration::from_secs(90),
        &cluster,
        || {
            Command::new(sinfo)
                .args(["-h", "-N", "-o", "%T"])
                .env("SLURM_CONF", &conf)
                .output()
                .is_ok_and(|o| {
                    let states = String::from_utf8_lossy(&o.stdout);
                    states.lines().filter(|s| s.trim() == "idle").count() == NODES.len()
                })
        },
    );

    // The evidence, the plan, and the key.
    for i in 0..300u32 {
        dir.write(
            format!("src/case/d{}/f{i}.bin", i % 7),
            content((i as usize * 131) % 5000, i),
        );
    }
    dir.write("src/case/big.img", content(9 << 20, 3));
    dir.mkdir("src/case/empty");
    let key = dir.keygen("examiner");
    dir.run(
        [
            "plan",
            "src/case",
            "-o",
            "plan.json",
            "--shards",
            &SHARDS.to_string(),
        ],
        0,
    );

    let submit = |job: &str, export: &str| -> String {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("contrib/slurm/{job}.sbatch"));
        let submitted = Command::new(sbatch)
            .current_dir(dir.path())
            .env("SLURM_CONF", &conf)
            .args([
                "--wait",
                &format!("--array=0-{}", SHARDS - 1),
                &format!("--export=ALL,EXHIBIT={EXE},{export}"),
            ])
            .arg(&path)
            .output()
            .unwrap();
        let logs: String = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{job}-"))
            })
            .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        assert!(
            submitted.status.success(),
            "sbatch --wait {job}: {}\n{}\n{}\njob logs:\n{logs}",
            submitted.status,
            stdout(&submitted),
            stderr(&submitted)
        );
        // One task per node at a time (--exclusive): both nodes took some.
        for node in NODES {
            assert!(
                logs.contains(&format!("on node {node}")),
                "{job} logs:\n{logs}"
            );
        }
        logs
    };

    // Shards that hash, merged by `seal --plan --parts` below.
    let logs = submit(
        "exhibit-hash",
        &format!(
            "EXHIBIT_PLAN={},EXHIBIT_PARTS={}",
            dir.join("plan.json").display(),
            dir.join("parts").display()
        ),
    );
    assert!(logs.contains("shard 0 of 3"), "job logs:\n{logs}");
    // Shards that write the bundle themselves, finished below.
    fs::create_dir_all(dir.join("sharded")).unwrap();
    let logs = submit(
        "exhibit-seal",
        &format!(
            "EXHIBIT_PLAN={},EXHIBIT_OUT={}",
            dir.join("plan.json").display(),
            dir.join("sharded/case.zip").display()
        ),
    );
    assert!(logs.contains("copied and hashed"), "job logs:\n{logs}");

    let parts = fs::read_dir(dir.join("parts")).unwrap().count();
    assert_eq!(parts, SHARDS);
    let mut args: Vec<String> = [
        "seal",
        "--plan",
        "plan.json",
        "--parts",
        "parts",
        "-o",
        "planned/case.zip",
    ]
    .map(String::from)
    .to_vec();
    let meta = [
        "--key",
        key.secret.to_str().unwrap(),
        "--case",
        "CASE-7",
        "--exhibit",
        "N1",
        "--time",
        TIME,
    ];
    fs::create_dir_all(dir.join("planned")).unwrap();
    fs::create_dir_all(dir.join("plain")).unwrap();
    args.extend(meta.map(String::from));
    dir.run(&args, 0);
    let report = dir.verify_json(&dir.join("planned/case.zip"), &[&key], 0);
    assert_eq!(report["status"], "verified");
    let mut plain: Vec<String> = ["seal", "src/case", "-o", "plain/case.zip"]
        .map(String::from)
        .to_vec();
    plain.extend(meta.map(String::from));
    dir.run(&plain, 0);
    assert!(
        fs::read(dir.join("planned/case.zip")).unwrap()
            == fs::read(dir.join("plain/case.zip")).unwrap(),
        "the sealed bundle differs from a plain seal"
    );
    let mut finish: Vec<String> = [
        "seal",
        "--plan",
        "plan.json",
        "--finish",
        "-o",
        "sharded/case.zip",
    ]
    .map(String::from)
    .to_vec();
    finish.extend(meta.map(String::from));
    dir.run(&finish, 0);
    let bundle = dir.join("sharded/case.zip");
    assert!(
        fs::read(&bundle).unwrap() == fs::read(dir.join("plain/case.zip")).unwrap(),
        "the bundle the shards wrote differs from a plain seal"
    );

    // Its verification split the same way: one share per task, combined
    // into the verdict a plain verify gives.
    submit(
        "exhibit-verify",
        &format!(
            "EXHIBIT_BUNDLE={},EXHIBIT_SHARES={SHARDS},EXHIBIT_PARTS={}",
            bundle.display(),
            dir.join("verify-parts").display()
        ),
    );
    drop(daemons);
    let trust = key.public.to_str().unwrap();
    let bundle = bundle.to_str().unwrap();
    let plain = dir.run(["verify", bundle, "--trust", trust, "--json"], 0);
    let split = dir.run(
        [
            "verify",
            bundle,
            "--parts",
            "verify-parts",
            "--trust",
            trust,
            "--json",
        ],
        0,
    );
    assert_eq!(stdout(&split), stdout(&plain));
}
