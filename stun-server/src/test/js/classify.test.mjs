// The browser check's classification, row by row. The decideMapping rows are the rows of
// natcheck-cli's MappingTestTest (same names, same outcomes), so the page and the CLI decide the
// mapping alike; the classify rows are what the browser's gathering looks like behind each kind
// of NAT (Chromium's candidates as the lab recorded them). Run: node --test stun-server/src/test/js
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ADM, APDM, EIM, INCONCLUSIVE, NOT_SUPPORTED,
  classify, decideMapping, explain, observe, parseCandidate, report,
} from "../../main/resources/dev/natcheck/stunserver/web/classify.mjs";

const LOCAL = "192.168.1.2:40000";
const OTHER = "stun:203.0.113.11:3479";
const M1 = "198.51.100.2:40000";
const M2 = "198.51.100.2:40001";
const M3 = "198.51.100.2:40002";
const answered = (mapped) => ({ answered: true, mapped });
const silent = () => ({ answered: false, why: "no answer within the time budget" });

// name, local, test I, other, test II, test III, expected mapping, expected missing reason
const mappingRows = [
  ["no NAT: mapped equals local, no further test needed", LOCAL, answered(LOCAL), null, null, null, EIM, null],
  ["same mapping towards the alternate address", LOCAL, answered(M1), OTHER, answered(M1), answered(M1), EIM, null],
  ["EIM needs no test III", LOCAL, answered(M1), OTHER, answered(M1), silent(), EIM, null],
  ["new mapping per address only", LOCAL, answered(M1), OTHER, answered(M2), answered(M2), ADM, null],
  ["new mapping per address and port", LOCAL, answered(M1), OTHER, answered(M2), answered(M3), APDM, null],
  ["test I lost", LOCAL, silent(), OTHER, null, null, null, INCONCLUSIVE],
  ["behind NAT, no OTHER-ADDRESS", LOCAL, answered(M1), null, null, null, null, NOT_SUPPORTED],
  ["test II lost", LOCAL, answered(M1), OTHER, silent(), answered(M1), null, INCONCLUSIVE],
  ["test II differs, test III lost", LOCAL, answered(M1), OTHER, answered(M2), silent(), null, INCONCLUSIVE],
  ["test II never ran", LOCAL, answered(M1), OTHER, null, null, null, INCONCLUSIVE],
  // The browser's own address hidden (mDNS): the mapping is still measured, never "no NAT".
  ["local hidden, same mapping everywhere", null, answered(M1), OTHER, answered(M1), answered(M1), EIM, null],
];

for (const [name, local, testI, other, testII, testIII, value, missing] of mappingRows) {
  test(`mapping: ${name}`, () => {
    const decided = decideMapping({ local, testI, other, testII, testIII });
    assert.equal(decided.value, value);
    assert.equal(decided.missing, missing);
    assert.match(decided.evidence, /^mapping: /);
  });
}

// The server's four RFC 5780 endpoints as /api/info lists them.
const ENDPOINTS = [
  { address: "203.0.113.10", port: 3478, family: "ipv4", ip: "primary", port_role: "primary" },
  { address: "203.0.113.10", port: 3479, family: "ipv4", ip: "primary", port_role: "alternate" },
  { address: "203.0.113.11", port: 3478, family: "ipv4", ip: "alternate", port_role: "primary" },
  { address: "203.0.113.11", port: 3479, family: "ipv4", ip: "alternate", port_role: "alternate" },
];
const SEEN = { address: "198.51.100.2", port: 51000, family: "ipv4" };
const host = (port, address = "0df5d5db-999c-47f4-b8ee-c2944089d263.local") => ({
  candidate: `candidate:1116382236 1 udp 2113937151 ${address} ${port} typ host generation 0 ufrag EczW network-cost 999`,
  url: null,
});
const srflx = (address, port, url, raddr = "0.0.0.0", rport = 0) => ({
  candidate: `candidate:2180608125 1 udp 1677729535 ${address} ${port} typ srflx raddr ${raddr} rport ${rport} generation 0 ufrag EczW network-cost 999`,
  url,
});
const gathering = (candidates, { complete = true, errors = [] } = {}) => ({
  family: "ipv4", endpoints: ENDPOINTS, candidates, errors, complete,
});

// name, gathering, expected verdict, expected mapping
const verdictRows = [
  [
    "cpe: one server-reflexive address (the other three deduplicated), gathering complete",
    gathering([host(38986), srflx("198.51.100.2", 38986, "stun:203.0.113.10:3478")]),
    "endpoint-independent", EIM,
  ],
  [
    "cpe: the one candidate came from the alternate endpoint",
    gathering([host(49196), srflx("198.51.100.2", 49196, "stun:203.0.113.11:3479")]),
    "endpoint-independent", EIM,
  ],
  [
    "open with the host address visible: server-reflexive equals the host address",
    gathering([host(44036, "198.51.100.2"), srflx("198.51.100.2", 44036, "stun:203.0.113.11:3479", "198.51.100.2", 44036)]),
    "no-nat", EIM,
  ],
  [
    "open with the host address hidden: indistinguishable from a NAT that keeps ports",
    gathering([host(56351), srflx("198.51.100.2", 56351, "stun:203.0.113.11:3479")]),
    "endpoint-independent", EIM,
  ],
  [
    "symmetric: four endpoints, four mappings",
    gathering([
      host(46819),
      srflx("198.51.100.2", 6143, "stun:203.0.113.10:3478"),
      srflx("198.51.100.2", 2487, "stun:203.0.113.11:3479"),
      srflx("198.51.100.2", 47940, "stun:203.0.113.10:3479"),
      srflx("198.51.100.2", 14570, "stun:203.0.113.11:3478"),
    ]),
    "symmetric", APDM,
  ],
  [
    "address-dependent: one mapping per server address, the same-address duplicates deduplicated",
    gathering([
      host(40000),
      srflx("198.51.100.2", 40000, "stun:203.0.113.10:3479"),
      srflx("198.51.100.2", 40001, "stun:203.0.113.11:3478"),
    ]),
    "address-dependent", ADM,
  ],
  [
    "udpblocked: only the host candidate when the budget ran out",
    gathering([host(44977)], { complete: false }),
    "udp-blocked", null,
  ],
  [
    "every endpoint reported an error",
    gathering([host(44977)], {
      errors: ENDPOINTS.map((e) => ({ url: `stun:${e.address}:${e.port}`, errorCode: 701, errorText: "STUN binding request timed out." })),
    }),
    "udp-blocked", null,
  ],
  [
    "one mapping but the budget ran out before the others answered: not enough to say",
    gathering([host(40000), srflx("198.51.100.2", 40000, "stun:203.0.113.10:3478")], { complete: false }),
    "inconclusive", null,
  ],
  [
    "two mappings, the class unmeasured for lack of answers: still varies by destination",
    gathering([
      host(40000),
      srflx("198.51.100.2", 40000, "stun:203.0.113.10:3478"),
      srflx("198.51.100.2", 40001, "stun:203.0.113.10:3479"),
    ], { complete: false }),
    "symmetric", null,
  ],
  [
    "carrier-grade NAT seen through a visible 100.64/10 host address",
    gathering([host(40000, "100.64.1.2"), srflx("198.51.100.2", 40000, "stun:203.0.113.10:3478", "100.64.1.2", 40000)]),
    "endpoint-independent", EIM,
  ],
];

for (const [name, g, verdict, mapping] of verdictRows) {
  test(`verdict: ${name}`, () => {
    const result = classify({ gathering: g, seen: SEEN, ipv6: "unreachable" });
    assert.equal(result.verdict, verdict);
    assert.equal(result.mapping, mapping);
    assert.ok(explain(result).headline.length > 0);
    const json = report(result, { stun: ENDPOINTS, rfc5780: true });
    assert.equal(json.verdict, verdict);
    assert.equal(json.endpoints.length, 4);
    JSON.parse(JSON.stringify(json));
  });
}

test("a visible private host address names the router's NAT; 100.64/10 the carrier's", () => {
  const router = classify({ gathering: gathering([host(1, "192.168.1.2"), srflx("198.51.100.2", 1, "stun:203.0.113.10:3478", "192.168.1.2", 1)]), seen: SEEN });
  assert.equal(router.nat, "router");
  const carrier = classify({ gathering: gathering([host(1, "100.64.1.2"), srflx("198.51.100.2", 1, "stun:203.0.113.10:3478", "100.64.1.2", 1)]), seen: SEEN });
  assert.equal(carrier.nat, "carrier");
});

test("UDP and TCP addresses compared", () => {
  const g = gathering([srflx("198.51.100.2", 40000, "stun:203.0.113.10:3478")]);
  assert.equal(classify({ gathering: g, seen: SEEN }).tcpUdpAgree, true);
  assert.equal(classify({ gathering: g, seen: { ...SEEN, address: "198.51.100.9" } }).tcpUdpAgree, false);
  assert.equal(classify({ gathering: gathering([], { complete: false }), seen: SEEN }).tcpUdpAgree, null);
});

test("server-reflexive candidates of the other family are not this family's mappings", () => {
  const g = gathering([srflx("2001:db8:3::2", 40000, "stun:[2001:db8:f::10]:3478"), srflx("198.51.100.2", 40000, "stun:203.0.113.10:3478")]);
  assert.deepEqual(observe(g).mappings, ["198.51.100.2:40000"]);
});

test("a server listing no endpoint of the page's family is inconclusive, not blocked", () => {
  const result = classify({ gathering: { ...gathering([]), family: "ipv6" }, seen: SEEN });
  assert.equal(result.verdict, "inconclusive");
});

test("candidate lines", () => {
  const c = parseCandidate("candidate:2180608125 1 udp 1677729535 198.51.100.2 38986 typ srflx raddr 0.0.0.0 rport 0 generation 0");
  assert.deepEqual(
    [c.address, c.port, c.type, c.relatedAddress, c.relatedPort, c.protocol, c.component],
    ["198.51.100.2", 38986, "srflx", "0.0.0.0", 0, "udp", 1]);
  assert.equal(parseCandidate("a=candidate:1 1 UDP 1 [::1] 5 typ host").protocol, "udp");
  for (const bad of [null, "", "candidate:1 1 udp 1 1.2.3.4 70000 typ host", "candidate:1 1 udp 1 1.2.3.4 5 type host", "garbage"]) {
    assert.equal(parseCandidate(bad), null, String(bad));
  }
});
