// The browser check: one RTCPeerConnection gathers candidates against the server's STUN
// endpoints for at most BUDGET_MS after the page opened, then classify.mjs decides and this
// file shows the verdict, the details and the JSON. Nothing leaves the page but requests to the
// server it came from (and, to tell whether the other IP family works, its other web address).
import { classify, explain, report, hostPort, stunUrl } from "./classify.mjs";

/** The verdict is on screen this long after the page opened, at the latest... */
const BUDGET_MS = 2800;
/** ...unless loading the page took so long that gathering would get less than this. */
const MIN_GATHER_MS = 1500;
const FAMILY_CHECK_MS = 1500;

const $ = (id) => document.getElementById(id);

async function fetchInfo() {
  const response = await fetch("/api/info", { cache: "no-store" });
  if (!response.ok) throw new Error(`/api/info answered ${response.status}`);
  return response.json();
}

/** The page's own host as a STUN server address (a server listening on every address). */
function pageHost() {
  return location.hostname.replace(/^\[|\]$/g, "");
}

/** Whether the server's web address of the other family answers: the IPv6 (or IPv4) check. */
async function otherFamily(info, deadline) {
  const other = info.seen.family === "ipv4" ? "ipv6" : "ipv4";
  if (info.seen.family === "ipv6") return { ipv6: "available", detail: "this page was loaded over IPv6" };
  const target = (info.web || []).find((w) => w.address != null && (w.address.includes(":") ? "ipv6" : "ipv4") === other);
  if (!target) return { ipv6: "not-tested", detail: "the server offers no IPv6 web address to try" };
  const url = `http://${hostPort(target.address, target.port)}/api/info`;
  const controller = new AbortController();
  const wait = Math.max(0, Math.min(FAMILY_CHECK_MS, deadline - performance.now()));
  const timer = setTimeout(() => controller.abort(), wait);
  try {
    await fetch(url, { mode: "no-cors", cache: "no-store", signal: controller.signal });
    return { ipv6: "available", detail: `reached the server over IPv6 (${hostPort(target.address, target.port)})` };
  } catch (e) {
    const why = controller.signal.aborted ? `no answer within ${(wait / 1000).toFixed(1)} s` : "no route, or refused";
    return { ipv6: "unreachable", detail: `could not reach the server over IPv6 (${hostPort(target.address, target.port)}): ${why}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Gathers against the endpoints of the family the page came over, until complete or the deadline. */
function gather(info, deadline) {
  const family = info.seen.family;
  const endpoints = info.stun
    .filter((e) => e.family === family)
    .map((e) => ({ ...e, address: e.address ?? pageHost() }));
  const gathering = { family, endpoints, candidates: [], errors: [], complete: false, host: [] };
  // One connection for every server: separate connections would each get their own socket and
  // make any NAT look symmetric.
  const pc = new RTCPeerConnection({ iceServers: endpoints.map((e) => ({ urls: stunUrl(e.address, e.port) })) });
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pc.close();
      resolve(gathering);
    };
    const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
    pc.onicecandidate = (event) => {
      if (event.candidate && event.candidate.candidate) {
        gathering.candidates.push({ candidate: event.candidate.candidate, url: event.candidate.url || event.url || null });
      }
    };
    pc.onicecandidateerror = (event) => {
      gathering.errors.push({ url: event.url, errorCode: event.errorCode, errorText: event.errorText });
    };
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === "complete") {
        gathering.complete = true;
        finish();
      }
    };
    // A data channel gives the offer something to negotiate, which starts the gathering.
    pc.createDataChannel("natcheck");
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .catch((e) => {
        gathering.errors.push({ url: null, errorCode: 0, errorText: String(e) });
        finish();
      });
  });
}

function row(table, label, value) {
  const tr = table.insertRow();
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = label;
  tr.appendChild(th);
  tr.insertCell().textContent = value;
}

/** Milliseconds since the page opened: when the document arrived, and each step of the run. */
function timings(marks) {
  const nav = performance.getEntriesByType("navigation")[0];
  const t = { page_loaded: nav ? nav.responseEnd : null, ...marks };
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v == null ? null : Math.round(v)]));
}

function show(result, info, startedAt, marks) {
  const words = explain(result);
  const verdict = $("verdict");
  verdict.dataset.verdict = result.verdict;
  $("headline").textContent = words.headline;
  $("meaning").textContent = words.meaning;

  const table = $("facts");
  table.tBodies[0].replaceChildren();
  const body = table.tBodies[0];
  row(body, "Mapping (RFC 4787)", result.mapping ?? (result.udp ? `not measured (${result.mappingMissing})` : "no UDP answer"));
  row(body, "Address seen over UDP", result.mapped.length ? result.mapped.join(", ") : "none");
  row(body, "Address seen over TCP (this page)", result.tcpSeen ?? "unknown");
  row(body, "UDP and TCP addresses", result.tcpUdpAgree == null ? "cannot compare" : result.tcpUdpAgree ? "agree" : "differ");
  row(body, "Your device's own address", result.local ?? "hidden by the browser (mDNS)");
  row(body, "IPv6", result.ipv6 === "available" ? "available" : result.ipv6 === "unreachable" ? "not available" : "not tested");

  const list = $("evidence");
  list.replaceChildren(...result.evidence.map((e) => {
    const li = document.createElement("li");
    li.textContent = e;
    return li;
  }));
  const host = location.host;
  $("command").textContent = `natcheck --behavior -s ${pageHost().includes(":") ? "[" + pageHost() + "]" : pageHost()}${info && info.stun.length ? ":" + info.stun[0].port : ""}`;
  $("json").textContent = JSON.stringify({ ...report(result, info), page_url: `http://${host}/`, elapsed_ms: Math.round(performance.now() - startedAt), timing_ms: timings(marks) }, null, 2);
  const shownAt = performance.now();
  document.body.dataset.state = "done";
  document.body.dataset.verdictMs = String(Math.round(shownAt));
  $("status").textContent = "Done.";
  $("again").disabled = false;
  $("results").hidden = false;
}

function fail(message) {
  $("verdict").dataset.verdict = "error";
  $("headline").textContent = "The check could not run.";
  $("meaning").textContent = message;
  $("status").textContent = "Stopped.";
  document.body.dataset.state = "error";
  $("again").disabled = false;
}

async function run(firstRun) {
  $("again").disabled = true;
  document.body.dataset.state = "running";
  $("status").textContent = "Checking…";
  // The first run's budget counts from when the page opened; a run again from now.
  const startedAt = firstRun ? 0 : performance.now();
  const deadline = startedAt + BUDGET_MS;
  if (typeof RTCPeerConnection !== "function") {
    fail("This browser has no WebRTC (RTCPeerConnection), which the check needs. Try another browser, or run the natcheck command below.");
    return;
  }
  const marks = { started: performance.now() };
  let info;
  try {
    info = await fetchInfo();
    marks.info = performance.now();
  } catch (e) {
    fail(`Could not read the server's details: ${e.message}.`);
    return;
  }
  // A slow page load must not cut the gathering short: a server not heard yet is not UDP blocked.
  const gatherUntil = Math.max(deadline, performance.now() + MIN_GATHER_MS);
  const [gathering, family] = await Promise.all([
    gather(info, gatherUntil).then((g) => ((marks.gathered = performance.now()), g)),
    otherFamily(info, gatherUntil).then((f) => ((marks.ipv6 = performance.now()), f)),
  ]);
  const result = classify({ gathering, seen: info.seen, ipv6: family.ipv6 });
  result.evidence.push(`IPv6: ${family.detail}`);
  show(result, info, startedAt, marks);
}

$("again").addEventListener("click", () => run(false));
$("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("json").textContent);
    $("status").textContent = "JSON copied.";
  } catch (e) {
    $("status").textContent = "Copying is not allowed here: select the JSON and copy it by hand.";
  }
});
run(true);
