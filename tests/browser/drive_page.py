#!/usr/bin/env python3
"""Drives the offline verifier page (`exhibit verifier-page`) in headless
Chromium, the way a person would: the page opened from disk, files chosen
in its file inputs, the verdict read once the page has finished.

    drive_page.py PAGE.html JOBS.json OUT.json [--timeout SECONDS]
                  [--chromium PATH] [--chromedriver PATH]

JOBS.json is a list of jobs:

    {"id": "...", "bundle": PATH, "folder": false,
     "trust": [PATH...], "tsa_ca": [PATH...], "ca": [PATH...],
     "policy": PATH or null,
     "lang": TAG,                           (optional: the language chosen)
     "names_as_text": [NAME...]}            (optional)

For each job the page is loaded afresh; `trust`, `tsa-ca`, `ca` and
`policy` are chosen first, then the bundle (`bundle` for a zip,
`bundle-folder` for a folder, which starts the verification). The driver
waits until `#verdict` has a final `data-status` and reads `#json`
(its textContent, so it may be hidden).

OUT.json maps each id to

    {"status": "verified"|"failed"|"untrusted"|"unusable"|"timeout"|"error"
               |"not run",
     "json": the parsed #json or null,
     "json_text": #json as read (only when it is not JSON),
     "requests": [URL...],   every request the browser made other than the
                             page itself, blob:, data: and about: URLs
     "browser_own": [URL...], requests Chromium made for itself (below)
     "alerts": [TEXT...],    dialogs the page opened
     "console": [LINE...],   console errors and warnings
     "seconds": time from choosing the bundle to the verdict,
     "verdict": the verdict line as the page shows it,
     "error": why the job did not finish (timeout, error only),
     "markup": for jobs with names_as_text: {"found": {NAME: shown as
               text}, "added": elements that could only come from a name
               inserted as markup (img, [onerror], ...), "alerts", ...}}

Requests are seen twice: in ChromeDriver's performance log
(`Network.requestWillBeSent`, `Network.webSocketCreated`), and by a proxy
this script runs on 127.0.0.1 that every http(s) and ws(s) request of the
browser goes through (loopback included; it answers 403 and records the
request), which also sees requests from workers and from frames in other
processes. Host names resolve nowhere, so nothing leaves the machine.

Exit status: 0 when every job was driven to an answer (whatever it is), 1
when a job timed out or failed in the browser (after --give-up-after such
jobs in a row, the rest are not run), 2 on a usage error.
"""

import argparse
import json
import os
import socketserver
import sys
import threading
import time
from pathlib import Path

FINAL = ("verified", "failed", "untrusted", "unusable")

# Hosts Chromium itself talks to whatever page is open (component and
# sign-in services, network time), even with background networking turned
# off. Their requests through the proxy are listed apart ("browser_own"),
# not as the page's; a request by the page itself to one of them is still
# in the performance log.
BROWSER_OWN = {
    "accounts.google.com",
    "android.clients.google.com",
    "clients1.google.com",
    "clients2.google.com",
    "clientservices.googleapis.com",
    "content-autofill.googleapis.com",
    "edgedl.me.gvt1.com",
    "optimizationguide-pa.googleapis.com",
    "redirector.gvt1.com",
    "safebrowsing.googleapis.com",
    "update.googleapis.com",
    "www.google.com",
    "www.googleapis.com",
}

# Elements a hostile file name would create if the page inserted it as
# markup (`<img src=x onerror=...>`, `<svg onload=...>`, ...).
# Counted on a fresh page and again after the verdict: the page's own
# (there should be none) are not held against it.
FORBIDDEN = (
    "img, image, picture, video, audio, object, embed, "
    "[onerror], [onload], [onclick], [onmouseover], [onfocus], [onanimationstart]"
)

# What the page shows, [data-status, #json text], once #verdict has a final
# data-status (watched, not polled) or after arguments[0] milliseconds.
AWAIT_VERDICT = """
var done = arguments[arguments.length - 1], limit = arguments[0];
var FINAL = %s;
function state() {
  var v = document.getElementById('verdict'), j = document.getElementById('json');
  return [v ? v.getAttribute('data-status') : null, j ? j.textContent : null];
}
function final() { var s = state(); return FINAL.indexOf(s[0]) >= 0 ? s : null; }
var now = final();
if (now) { done(now); return; }
var observer = new MutationObserver(function () {
  var s = final();
  if (s) { observer.disconnect(); clearTimeout(timer); done(s); }
});
var timer = setTimeout(function () { observer.disconnect(); done(state()); }, limit);
observer.observe(document.documentElement,
  {attributes: true, attributeFilter: ['data-status'], subtree: true});
""" % json.dumps(list(FINAL))

# In the current frame: how many elements match the selector, whether each
# name appears in the text, and the frames (same-origin ones are also
# reached through contentDocument, for frames WebDriver cannot enter).
CHECK_FRAME = """
var selector = arguments[0], names = arguments[1];
function text(doc) { return doc && doc.documentElement ? doc.documentElement.textContent : ''; }
function inner(doc, depth) {
  var out = {count: 0, text: text(doc), unreadable: 0};
  if (!doc || depth > 5) { return out; }
  out.count = doc.querySelectorAll(selector).length;
  var frames = doc.querySelectorAll('iframe, frame');
  for (var i = 0; i < frames.length; i++) {
    var sub = null;
    try { sub = frames[i].contentDocument; } catch (e) { sub = null; }
    if (!sub) { out.unreadable += 1; continue; }
    var r = inner(sub, depth + 1);
    out.count += r.count; out.text += '\\n' + r.text; out.unreadable += r.unreadable;
  }
  return out;
}
var r = inner(document, 0);
var found = {};
names.forEach(function (n) { found[n] = r.text.indexOf(n) >= 0; });
return {count: r.count, found: found, unreadable: r.unreadable};
"""


class Proxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy that lets nothing through: it records the request line
    of every request (a CONNECT for https and wss) and answers 403."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.seen = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ProxyHandler)

    def take(self):
        """(the page's requests, the browser's own) since the last call."""
        with self.lock:
            seen, self.seen = self.seen, []
        own = [url for url in seen if host_of(url) in BROWSER_OWN]
        return [url for url in seen if host_of(url) not in BROWSER_OWN], own


def host_of(url):
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].rsplit(":", 1)[0].lower()


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            line = self.rfile.readline(8192).decode("latin-1").strip()
        except OSError:
            return
        if not line:
            return
        parts = line.split()
        target = parts[1] if len(parts) > 1 else line
        if parts and parts[0] == "CONNECT":
            target = "https://" + target
        with self.server.lock:
            self.server.seen.append(target)
        try:
            self.wfile.write(
                b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
        except OSError:
            pass


def start_browser(args, proxy_port):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = args.chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--window-size=1280,1024",
        "--proxy-server=http://127.0.0.1:%d" % proxy_port,
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    opts.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    opts.unhandled_prompt_behavior = "ignore"
    # Selenium Manager is never asked for a browser or a driver.
    os.environ.setdefault("SE_OFFLINE", "true")
    service = Service(executable_path=args.chromedriver, log_output=os.devnull)
    driver = webdriver.Chrome(service=service, options=opts)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(DOWNLOADS)}
    )
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


class Log:
    """The browser's performance and console logs, drained per job."""

    def __init__(self, page_url):
        self.page_url = page_url

    def drain(self, driver):
        requests, console = [], []
        for entry in driver.get_log("performance"):
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            method = message.get("method")
            params = message.get("params", {})
            if method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
            elif method == "Network.webSocketCreated":
                url = params.get("url", "")
            else:
                continue
            if self.counts(url):
                requests.append(url)
        for entry in driver.get_log("browser"):
            if entry.get("level") in ("SEVERE", "WARNING"):
                console.append("%s %s" % (entry.get("level"), entry.get("message", "")))
        return requests, console

    def counts(self, url):
        """Whether a requested URL is a request of its own (not the page,
        nor data the page holds already)."""
        if url.split("#")[0] == self.page_url:
            return False
        return not url.startswith(("blob:", "data:", "about:"))


def choose(driver, element_id, paths):
    from selenium.webdriver.common.by import By

    if paths:
        driver.find_element(By.ID, element_id).send_keys(
            "\n".join(str(Path(p).resolve()) for p in paths)
        )


def await_verdict(driver, alerts, seconds):
    """(data-status, #json text) once the verdict is final, or as they are
    after `seconds`; a dialog the page opened is recorded and closed."""
    from selenium.common.exceptions import (
        NoAlertPresentException,
        TimeoutException,
        UnexpectedAlertPresentException,
    )

    deadline = time.monotonic() + seconds
    while True:
        left = max(0.0, deadline - time.monotonic())
        driver.set_script_timeout(left + 10)
        try:
            return driver.execute_async_script(AWAIT_VERDICT, int(left * 1000))
        except UnexpectedAlertPresentException:
            try:
                alert = driver.switch_to.alert
                alerts.append(alert.text)
                alert.accept()
            except NoAlertPresentException:
                pass
        except TimeoutException:
            return (None, None)
        if time.monotonic() > deadline:
            return (None, None)


def open_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.accept()
        return text
    except NoAlertPresentException:
        return None


def check_markup(driver, names, alerts):
    """Every frame WebDriver can enter (sandboxed ones included), and the
    same-origin frames below them: elements matching FORBIDDEN (a name
    inserted as markup would make one), whether each name appears as text,
    and frames that could not be read.

    {"elements": N, "found": {NAME: bool}, "frames": N, "unreadable": N,
     "alerts": [...]}"""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    result = {"elements": 0, "found": {n: False for n in names}, "frames": 0, "unreadable": 0}

    def visit(depth):
        result["frames"] += 1
        try:
            r = driver.execute_script(CHECK_FRAME, FORBIDDEN, names)
        except WebDriverException:
            r = None
        if r is None:
            result["unreadable"] += 1
            return
        result["elements"] += r["count"]
        for name, hit in r["found"].items():
            result["found"][name] = result["found"][name] or hit
        if depth >= 3:
            return
        frames = driver.find_elements(By.CSS_SELECTOR, "iframe, frame")
        for index in range(len(frames)):
            try:
                driver.switch_to.frame(driver.find_elements(By.CSS_SELECTOR, "iframe, frame")[index])
            except WebDriverException:
                result["unreadable"] += 1
                continue
            visit(depth + 1)
            driver.switch_to.parent_frame()

    driver.switch_to.default_content()
    visit(0)
    driver.switch_to.default_content()
    text = open_alert(driver)
    if text is not None:
        alerts.append(text)
    result["alerts"] = list(alerts)
    return result


def new_result():
    return {"status": "error", "json": None, "requests": [], "browser_own": [], "alerts": [],
            "console": []}


# Makes a page that has given a verdict ready for the next bundle, as a
# person choosing other files would leave it: every input empty, no verdict.
RESET = """
for (const id of ['trust', 'tsa-ca', 'ca', 'policy', 'bundle', 'bundle-folder']) {
  document.getElementById(id).value = '';
}
document.getElementById('lang').value = 'en';
delete document.getElementById('verdict').dataset.status;
"""

# Jobs run on one page before it is loaded again.
JOBS_PER_LOAD = 40


# Where the page's "Save" buttons write (main sets it).
DOWNLOADS = None


def save_files(driver, bundle):
    """Presses "Save JSON" and "Save report"; {"json": path, "report":
    path} of what they wrote (None for a file that did not appear)."""
    from selenium.webdriver.common.by import By

    name = Path(bundle).name
    saved = {}
    for button, suffix, key in (
        ("save-json", ".verification.json", "json"),
        ("save-report", ".report.html", "report"),
    ):
        target = DOWNLOADS / (name + suffix)
        if target.exists():
            target.unlink()
        driver.find_element(By.ID, button).click()
        # A download is written under another name and renamed when whole.
        deadline = time.monotonic() + 20
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        saved[key] = str(target) if target.exists() else None
    return saved


def run_job(driver, page_url, job, timeout, reuse):
    """Runs `job` on the page as loaded (`reuse`), or on a fresh load."""
    from selenium.common.exceptions import WebDriverException

    out = new_result()
    if reuse:
        driver.execute_script(RESET)
    else:
        driver.get(page_url)
    for element_id, key in (("trust", "trust"), ("tsa-ca", "tsa_ca"), ("ca", "ca")):
        choose(driver, element_id, job.get(key) or [])
    if job.get("policy"):
        choose(driver, "policy", [job["policy"]])
    if job.get("lang"):
        driver.execute_script("document.getElementById('lang').value = arguments[0];", job["lang"])
    baseline = 0
    if job.get("names_as_text"):
        baseline = check_markup(driver, [], [])["elements"]
    started = time.monotonic()
    choose(driver, "bundle-folder" if job.get("folder") else "bundle", [job["bundle"]])
    try:
        status, text = await_verdict(driver, out["alerts"], timeout)
    except WebDriverException as e:
        status, text = None, None
        out["error"] = "reading the verdict: %s" % str(e).splitlines()[0]
    if status not in FINAL and "error" not in out:
        out["status"] = "timeout"
        out["error"] = "no final #verdict[data-status] after %ds (last: %r)" % (timeout, status)
    out["seconds"] = round(time.monotonic() - started, 3)
    if status in FINAL:
        out["status"] = status
        out["verdict"] = driver.execute_script("return document.getElementById('verdict').textContent;")
        try:
            out["json"] = json.loads(text) if text is not None else None
        except ValueError:
            out["json_text"] = text
    if job.get("save") and status in FINAL:
        out["saved"] = save_files(driver, job["bundle"])
    if job.get("names_as_text"):
        names = list(job["names_as_text"])
        out["markup"] = check_markup(driver, names, out["alerts"])
        out["markup"]["baseline"] = baseline
        out["markup"]["added"] = max(0, out["markup"]["elements"] - baseline)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page")
    parser.add_argument("jobs")
    parser.add_argument("out")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per job")
    parser.add_argument(
        "--give-up-after",
        type=int,
        default=3,
        metavar="N",
        help="after N jobs in a row without a verdict, the rest are not run",
    )
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument(
        "--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    )
    args = parser.parse_args()
    page = Path(args.page).resolve()
    if not page.is_file():
        parser.error("%s: no such file" % args.page)
    jobs = json.loads(Path(args.jobs).read_text())
    ids = [job["id"] for job in jobs]
    if len(set(ids)) != len(ids):
        parser.error("job ids are not unique")

    from selenium.common.exceptions import WebDriverException

    global DOWNLOADS
    DOWNLOADS = Path(args.out).resolve().parent / "downloads"
    DOWNLOADS.mkdir(exist_ok=True)
    page_url = page.as_uri()
    log = Log(page_url)
    proxy = Proxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    driver = start_browser(args, proxy.server_address[1])
    results = {}
    unfinished = 0
    in_a_row = 0
    previous = None
    since_load = 0

    def collect(result, driver):
        """Adds what the browser did since the last call to `result`."""
        requests, console = log.drain(driver) if driver is not None else ([], [])
        proxied, own = proxy.take()
        for url in requests + proxied:
            if url not in result["requests"]:
                result["requests"].append(url)
        result["browser_own"] += own
        result["console"] += console

    try:
        for job in jobs:
            if in_a_row >= args.give_up_after:
                result = new_result()
                result["status"] = "not run"
                result["error"] = "not run: %d jobs in a row had no verdict" % in_a_row
                results[job["id"]] = result
                unfinished += 1
                continue
            # What the browser did since the previous job finished is still
            # that job's doing.
            if previous is not None:
                collect(previous, driver)
            # A page that gave its verdict takes the next bundle, as a person
            # would use it; markup checks and anything unusual get a fresh one.
            reuse = (
                previous is not None
                and previous["status"] in FINAL
                and "markup" not in previous
                and not job.get("names_as_text")
                and since_load < JOBS_PER_LOAD
            )
            since_load = since_load + 1 if reuse else 1
            try:
                result = run_job(driver, page_url, job, args.timeout, reuse)
                collect(result, driver)
            except WebDriverException as e:
                result = new_result()
                result["error"] = str(e).splitlines()[0]
                collect(result, None)
                # The tab or the browser may be gone: start again.
                try:
                    driver.quit()
                except WebDriverException:
                    pass
                driver = start_browser(args, proxy.server_address[1])
            results[job["id"]] = result
            previous = result
            if result["status"] not in FINAL:
                unfinished += 1
                in_a_row += 1
            else:
                in_a_row = 0
            print("%-60s %-10s %6.2fs%s" % (
                job["id"][:60], result["status"], result.get("seconds", 0),
                "  " + result["error"] if result.get("error") else ""), file=sys.stderr)
        if previous is not None:
            time.sleep(0.2)
            collect(previous, driver)
    finally:
        try:
            driver.quit()
        except WebDriverException:
            pass
        proxy.shutdown()
        Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    return 1 if unfinished else 0


if __name__ == "__main__":
    sys.exit(main())
