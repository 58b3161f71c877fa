//! `exhibit trust check`: validate a trust policy and show what it allows.

use exhibit::trust::TrustPolicy;

use super::output::sanitize;
use super::{Context, Status, TrustCheckArgs};

pub fn run_check(_ctx: &Context, args: &TrustCheckArgs) -> anyhow::Result<Status> {
    let policy = TrustPolicy::load(&args.policy)?;
    println!(
        "policy {} (sha256 {})",
        sanitize(&policy.path.display().to_string()),
        policy.sha256
    );
    let sealers = match policy.min_signers {
        1 => "1 trusted seal signature".to_string(),
        n => format!("{n} trusted seal signatures from distinct keys"),
    };
    println!("a seal needs {sealers}");
    if policy.require_timestamp {
        println!("a signature counts only when a trusted RFC 3161 timestamp proves its time");
    }
    for root in &policy.tsa_ca {
        println!("tsa root {}", sanitize(&root.display().to_string()));
    }
    for key in &policy.keys {
        let who = [key.name.as_deref(), key.organization.as_deref()]
            .into_iter()
            .flatten()
            .map(sanitize)
            .collect::<Vec<_>>()
            .join(", ");
        let roles: Vec<&str> = key.roles.iter().map(|r| r.as_str()).collect();
        let mut window = Vec::new();
        if let Some(t) = key.not_before {
            window.push(format!("from {t}"));
        }
        if let Some(t) = key.not_after {
            window.push(format!("until {t}"));
        }
        if let Some(t) = key.revoked_at {
            window.push(format!("revoked at {t}"));
        }
        let window = if window.is_empty() {
            "at any time".to_string()
        } else {
            window.join(", ")
        };
        println!(
            "key {} ({}): may sign {}; {window}",
            key.key_id,
            if who.is_empty() {
                "no name given"
            } else {
                &who
            },
            roles.join(" and ")
        );
    }
    for authority in &policy.authorities {
        let roots: Vec<String> = authority
            .roots
            .iter()
            .map(|r| sanitize(&r.subject()))
            .collect();
        let mut limits = Vec::new();
        if !authority.subject.is_empty() {
            let subject: Vec<String> = authority
                .subject
                .iter()
                .map(|(name, value)| format!("{name}={}", sanitize(value)))
                .collect();
            limits.push(format!("subject with {}", subject.join(", ")));
        }
        if !authority.policy_oids.is_empty() {
            limits.push(format!("policy {}", authority.policy_oids.join(" or ")));
        }
        if let Some(t) = authority.not_before {
            limits.push(format!("from {t}"));
        }
        if let Some(t) = authority.not_after {
            limits.push(format!("until {t}"));
        }
        if !authority.revoked_serials.is_empty() {
            let serials: Vec<&str> = authority
                .revoked_serials
                .iter()
                .map(String::as_str)
                .collect();
            limits.push(format!("except serials {}", serials.join(", ")));
        }
        let roles: Vec<&str> = authority.roles.iter().map(|r| r.as_str()).collect();
        println!(
            "authority {} ({}; roots {}): certificates it issued may sign {}{}{}",
            sanitize(&authority.ca.display().to_string()),
            sanitize(authority.name.as_deref().unwrap_or("no name given")),
            roots.join(", "),
            roles.join(" and "),
            if limits.is_empty() { "" } else { "; " },
            limits.join("; ")
        );
    }
    Ok(Status::Success)
}
