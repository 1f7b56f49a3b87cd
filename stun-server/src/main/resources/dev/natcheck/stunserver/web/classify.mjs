// The browser check's classification: pure functions from what one RTCPeerConnection gathered
// against the server's four STUN endpoints to a verdict with evidence. No DOM, no network, so
// node's test runner checks it row by row (stun-server/src/test/js). The mapping rules are the
// CLI's (natcheck --behavior, docs/behavior.md): RFC 5780 section 4.3, tests I-III.

/** RFC 4787 mapping classes, spelled as natcheck's JSON spells them. */
export const EIM = "endpoint-independent";
export const ADM = "address-dependent";
export const APDM = "address-and-port-dependent";

/** Why a mapping class is missing, as in natcheck's JSON. */
export const INCONCLUSIVE = "inconclusive";
export const NOT_SUPPORTED = "not-supported-by-server";

/** The page's verdicts, most useful first. */
export const VERDICTS = ["no-nat", "endpoint-independent", "address-dependent", "symmetric", "udp-blocked", "inconclusive"];

/** "198.51.100.2:40000" or "[2001:db8::2]:40000". */
export function hostPort(address, port) {
  return (address.includes(":") ? `[${address}]` : address) + ":" + port;
}

/** The stun: URL of an endpoint, as the browser reports it back in a candidate's url. */
export function stunUrl(address, port) {
  return "stun:" + hostPort(address, port);
}

/**
 * One a=candidate line (RFC 8839 section 5.1), with or without its "candidate:" prefix, as
 * { foundation, component, protocol, priority, address, port, type, relatedAddress, relatedPort };
 * null when it is not one.
 */
export function parseCandidate(line) {
  if (typeof line !== "string") return null;
  const fields = line.trim().replace(/^a=/, "").replace(/^candidate:/, "").split(/\s+/);
  if (fields.length < 8 || fields[6] !== "typ") return null;
  const port = Number(fields[5]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  const candidate = {
    foundation: fields[0],
    component: Number(fields[1]),
    protocol: fields[2].toLowerCase(),
    priority: Number(fields[3]),
    address: fields[4],
    port,
    type: fields[7],
    relatedAddress: null,
    relatedPort: null,
  };
  for (let i = 8; i + 1 < fields.length; i += 2) {
    if (fields[i] === "raddr") candidate.relatedAddress = fields[i + 1];
    if (fields[i] === "rport") candidate.relatedPort = Number(fields[i + 1]);
  }
  return candidate;
}

/** IPv4 or IPv6 by the literal; null for an mDNS name (RFC 8828 hides host addresses so). */
export function familyOf(address) {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return "ipv4";
  if (address.includes(":")) return "ipv6";
  return null;
}

/** Whether a related address is a real one (browsers write 0.0.0.0 or :: when hiding it). */
function visible(address) {
  return address != null && familyOf(address) != null && address !== "0.0.0.0" && address !== "::";
}

/**
 * RFC 5780 section 4.3, exactly as natcheck --behavior decides it. Each test is
 * { answered: true, mapped: "ip:port" }, { answered: false, why } or null when not run; local is
 * the socket's own "ip:port", or null when the browser hides it.
 * Returns { value, missing, evidence }: value one of EIM/ADM/APDM or null, missing null or
 * INCONCLUSIVE/NOT_SUPPORTED, evidence one sentence starting "mapping: ".
 */
export function decideMapping({ local, testI, other, testII, testIII }) {
  const first = mappedOf(testI);
  if (first == null) {
    return unknown(INCONCLUSIVE, "mapping: test I got no answer " + silence(testI));
  }
  if (local != null && first === local) {
    return measured(EIM, `mapping: the server saw ${first}, the socket's own address: no NAT, so the mapping is endpoint-independent (RFC 5780 section 4.3)`);
  }
  if (other == null) {
    return unknown(NOT_SUPPORTED, `mapping: the server offers no OTHER-ADDRESS, so there is no second address to compare the mapping ${first} against`);
  }
  const second = mappedOf(testII);
  if (second == null) {
    return unknown(INCONCLUSIVE, "mapping: test II (alternate address, primary port) got no answer " + silence(testII));
  }
  if (second === first) {
    return measured(EIM, `mapping: ${first} towards the primary and the alternate address alike: endpoint-independent`);
  }
  const third = mappedOf(testIII);
  if (third == null) {
    return unknown(INCONCLUSIVE, `mapping: ${first} towards the primary address but ${second} towards the alternate one; test III (alternate address and port) got no answer ${silence(testIII)}`);
  }
  if (third === second) {
    return measured(ADM, `mapping: ${first} towards the primary address, ${second} towards the alternate address whatever its port: address-dependent`);
  }
  return measured(APDM, `mapping: ${first}, ${second} and ${third} towards three server endpoints: a new mapping per address and port, address-and-port-dependent`);
}

function mappedOf(test) {
  return test && test.answered && test.mapped != null ? test.mapped : null;
}

function silence(test) {
  if (test == null) return "(not run)";
  return `(${test.why || "no answer"})`;
}

function measured(value, evidence) {
  return { value, missing: null, evidence };
}

function unknown(missing, evidence) {
  return { value: null, missing, evidence };
}

/**
 * What the browser's gathering says about each of the server's endpoints of one family.
 *
 * gathering: { family, endpoints: [{ address, port, ip: "primary"|"alternate", port_role }],
 *   candidates: [{ candidate: "candidate:...", url }], errors: [{ url, errorCode, errorText }],
 *   complete: gathering state reached "complete" within the budget }.
 *
 * A browser reports a server-reflexive address only once however many servers returned it
 * (libwebrtc drops a duplicate), so an endpoint that answered with an address already reported
 * yields no candidate. An endpoint counts as answered with an earlier mapping only when gathering
 * completed without an error for it; which mapping is then taken from the one distinct mapping,
 * or from the endpoint on the same server address (the only reading consistent with RFC 4787's
 * three mapping classes). Returns { endpoints: [{ ..., url, outcome }], mappings, local, tests }.
 */
export function observe(gathering) {
  const family = gathering.family;
  const candidates = (gathering.candidates || [])
    .map((c) => ({ ...parseCandidate(c.candidate), url: c.url || null }))
    .filter((c) => c.address != null && c.protocol === "udp" && c.component === 1);
  const srflx = candidates.filter((c) => c.type === "srflx" && familyOf(c.address) === family);
  const mappings = [...new Set(srflx.map((c) => hostPort(c.address, c.port)))];
  const failed = new Map((gathering.errors || []).filter((e) => e.url).map((e) => [e.url, e]));
  const related = srflx.find((c) => visible(c.relatedAddress));
  const local = related ? hostPort(related.relatedAddress, related.relatedPort) : null;

  const endpoints = (gathering.endpoints || [])
    .filter((e) => e.family === family)
    .map((e) => ({ ...e, url: stunUrl(e.address, e.port) }));
  for (const e of endpoints) {
    const own = srflx.find((c) => c.url === e.url);
    if (own) {
      e.outcome = { answered: true, mapped: hostPort(own.address, own.port), reported: true };
    } else if (failed.has(e.url)) {
      const err = failed.get(e.url);
      e.outcome = { answered: false, why: `error ${err.errorCode}${err.errorText ? " " + err.errorText : ""}` };
    } else if (!gathering.complete) {
      e.outcome = { answered: false, why: "no answer within the time budget" };
    } else {
      e.outcome = { answered: true, mapped: null, reported: false };
    }
  }
  for (const e of endpoints) {
    if (!e.outcome.answered || e.outcome.mapped != null) continue;
    const sameAddress = endpoints.find((o) => o !== e && o.address === e.address && o.outcome.reported);
    if (mappings.length === 1) {
      e.outcome.mapped = mappings[0];
    } else if (sameAddress) {
      e.outcome.mapped = sameAddress.outcome.mapped;
    } else if (mappings.length === 0 && local != null) {
      e.outcome.mapped = local;
    } else {
      e.outcome = { answered: false, why: "answered with an address the browser had already reported; which one is unknown" };
    }
  }
  const at = (ip, port) => endpoints.find((e) => e.ip === ip && e.port_role === port);
  const primary = at("primary", "primary");
  const otherEndpoint = at("alternate", "alternate");
  const tests = {
    local,
    testI: primary ? primary.outcome : null,
    other: otherEndpoint ? otherEndpoint.url : null,
    testII: at("alternate", "primary")?.outcome ?? null,
    testIII: otherEndpoint ? otherEndpoint.outcome : null,
  };
  return { endpoints, mappings, local, tests, srflx };
}

/** RFC 6598 shared space, where carriers number their subscribers behind CG-NAT. */
function isShared(ip) {
  const m = /^100\.(\d+)\./.exec(ip);
  return m != null && Number(m[1]) >= 64 && Number(m[1]) <= 127;
}

/** RFC 1918 and IPv6 ULA. */
function isPrivate(ip) {
  return /^10\./.test(ip) || /^192\.168\./.test(ip) || /^172\.(1[6-9]|2\d|3[01])\./.test(ip) || /^f[cd]/i.test(ip);
}

function ipOf(hostPortText) {
  return hostPortText.startsWith("[") ? hostPortText.slice(1, hostPortText.indexOf("]")) : hostPortText.slice(0, hostPortText.lastIndexOf(":"));
}

/**
 * The verdict. input: { gathering (as observe takes), seen: { address, port, family } the HTTP
 * request's source as the server saw it, ipv6: "available"|"unreachable"|"not-tested" }.
 * Returns { verdict (one of VERDICTS), mapping (EIM/ADM/APDM or null), mappingMissing, nat,
 * udp, tcpUdpAgree (true/false/null), mapped, local, evidence: [sentences], observed }.
 */
export function classify({ gathering, seen, ipv6 = "not-tested" }) {
  const observed = observe(gathering);
  const evidence = [];
  const answeredAny = observed.endpoints.some((e) => e.outcome.answered);
  const result = {
    verdict: null,
    mapping: null,
    mappingMissing: null,
    nat: null,
    udp: answeredAny,
    mapped: observed.mappings,
    local: observed.local,
    tcpSeen: seen ? hostPort(seen.address, seen.port) : null,
    tcpUdpAgree: null,
    ipv6,
    evidence,
    observed,
  };
  if (observed.endpoints.length === 0) {
    result.verdict = "inconclusive";
    evidence.push(`the server lists no STUN endpoint of the family this page was loaded over (${gathering.family})`);
    return result;
  }
  if (!answeredAny) {
    result.verdict = "udp-blocked";
    evidence.push(`no STUN server answered over UDP (${observed.endpoints.length} asked), while this page and its data came over TCP from the same server`);
    for (const e of observed.endpoints) {
      evidence.push(`${e.url}: ${e.outcome.why}`);
    }
    return result;
  }
  for (const e of observed.endpoints) {
    evidence.push(`${e.url}: ${e.outcome.answered ? "answered, mapped " + (e.outcome.mapped ?? "?") + (e.outcome.reported ? "" : " (not reported again: same as an earlier answer)") : e.outcome.why}`);
  }
  const mapping = decideMapping(observed.tests);
  result.mapping = mapping.value;
  result.mappingMissing = mapping.missing;
  evidence.push(mapping.evidence);

  if (seen) {
    const udpIps = [...new Set(observed.mappings.map(ipOf))];
    if (udpIps.length > 0) {
      result.tcpUdpAgree = udpIps.every((ip) => ip === seen.address);
      evidence.push(result.tcpUdpAgree
        ? `the web request came from ${seen.address}, the same address the STUN servers saw`
        : `the web request came from ${seen.address}, but the STUN servers saw ${udpIps.join(", ")}: web and UDP traffic leave through different public addresses`);
    }
  }

  const first = observed.tests.testI && observed.tests.testI.answered ? observed.tests.testI.mapped : observed.mappings[0];
  if (observed.local != null) {
    const localIp = ipOf(observed.local);
    if (first === observed.local) {
      result.nat = "none";
      evidence.push(`the browser's own address ${observed.local} is the address the servers saw: nothing translates it`);
    } else if (isShared(localIp)) {
      result.nat = "carrier";
      evidence.push(`the browser's own address ${localIp} is in 100.64.0.0/10 (RFC 6598): a carrier-grade NAT`);
    } else if (isPrivate(localIp)) {
      result.nat = "router";
      evidence.push(`the browser's own address ${localIp} is private: translated by a NAT, most likely the router`);
    } else {
      result.nat = "unknown";
      evidence.push(`the browser's own address ${observed.local} differs from the address the servers saw`);
    }
  } else {
    evidence.push("the browser hides its own address (an mDNS name), so the page cannot tell a NAT that keeps ports from no NAT at all");
  }

  if (result.nat === "none") {
    result.verdict = "no-nat";
  } else if (mapping.value === EIM) {
    result.verdict = "endpoint-independent";
  } else if (mapping.value === ADM) {
    result.verdict = "address-dependent";
  } else if (mapping.value === APDM || observed.mappings.length >= 2) {
    // Two mappings for one socket already prove the mapping depends on the destination.
    result.verdict = "symmetric";
  } else {
    result.verdict = "inconclusive";
  }
  return result;
}

/** The plain-words headline and what it means for the person reading it. */
export function explain(result) {
  const hidden = result.local == null;
  switch (result.verdict) {
    case "no-nat":
      return {
        headline: "No NAT: your device is reachable at the address the Internet sees.",
        meaning: "Direct connections (calls, games, file transfers) can reach you unless a firewall stops them.",
      };
    case "endpoint-independent":
      return {
        headline: "NAT with endpoint-independent mapping: direct connections work.",
        meaning: "Your NAT gives you the same public address and port whatever you talk to, so peer-to-peer calls and games can connect directly (\"open\" or \"moderate\" NAT in game consoles' words)."
          + (hidden ? " Your browser hides its own address, so this may also be no NAT at all." : ""),
      };
    case "address-dependent":
      return {
        headline: "NAT with address-dependent mapping: direct connections work only sometimes.",
        meaning: "Your NAT gives you a new public port for every server address you talk to. Peer-to-peer connections work with some peers and need a relay with others.",
      };
    case "symmetric":
      return {
        headline: "Symmetric NAT: peer-to-peer connections will need a relay.",
        meaning: "Your NAT gives you a new public port for every destination, so the address one server sees is useless to another peer. Calls and games fall back to a relay server (TURN), which adds delay; \"strict NAT\" in game consoles' words.",
      };
    case "udp-blocked":
      return {
        headline: "UDP is blocked: no STUN server answered, although this page loaded.",
        meaning: "Calls and games that need UDP will fail or fall back to a relay over TCP or TLS. A firewall, a VPN or a captive network is the usual cause."
          + " It also looks like this when your web traffic goes through a proxy, or leaves from another public address than your UDP traffic: the server answers a browser only at the address that loaded this page.",
      };
    default:
      return {
        headline: "Inconclusive: not every test got an answer in time.",
        meaning: "Try again; if it keeps happening, the network loses packets. The details below say what was seen.",
      };
  }
}

/** The JSON view for a support ticket: what was asked, what came back, what was decided. */
export function report(result, info) {
  return {
    page: "natcheck browser check",
    verdict: result.verdict,
    mapping: result.mapping,
    mapping_missing: result.mappingMissing,
    nat: result.nat,
    udp: result.udp,
    mapped: result.mapped,
    local: result.local,
    tcp_seen: result.tcpSeen,
    tcp_udp_agree: result.tcpUdpAgree,
    ipv6: result.ipv6,
    endpoints: result.observed.endpoints.map((e) => ({ url: e.url, ...e.outcome })),
    evidence: result.evidence,
    server: info ? { stun: info.stun, rfc5780: info.rfc5780 } : null,
  };
}
