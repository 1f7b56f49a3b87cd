package dev.natcheck.lab;

import java.util.List;

/** The lab's topologies, as lab/netlab.sh names them; docs/lab.md draws each one. */
public enum Topology implements TopologySpec {
    OPEN("open", List.of(Role.CLI, Role.INET, Role.SRV)),
    CPE("cpe", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    SYMMETRIC("symmetric", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    FULLCONE("fullcone", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    CGNAT_DIRECT("cgnat-direct", List.of(Role.CLI, Role.CGN, Role.INET, Role.SRV)),
    CGNAT10("cgnat10", List.of(Role.CLI, Role.CGN, Role.INET, Role.SRV)),
    CGNAT("cgnat", List.of(Role.CLI, Role.CPE, Role.CGN, Role.INET, Role.SRV)),
    CGNAT10_HOME("cgnat10-home", List.of(Role.CLI, Role.CPE, Role.CGN, Role.INET, Role.SRV)),
    DOUBLENAT("doublenat", List.of(Role.CLI, Role.CPE, Role.CPE0, Role.INET, Role.SRV)),
    UDPBLOCKED("udpblocked", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    UDPREJECT("udpreject", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    ALLBLOCKED("allblocked", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    NAT66("nat66", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    V6OPEN("v6open", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV)),
    LOSSY("lossy", List.of(Role.CLI, Role.CPE, Role.INET, Role.SRV));

    private final String scriptName;
    private final List<Role> roles;

    Topology(String scriptName, List<Role> roles) {
        this.scriptName = scriptName;
        this.roles = roles;
    }

    @Override
    public String scriptName() {
        return scriptName;
    }

    @Override
    public List<Role> roles() {
        return roles;
    }

    @Override
    public String toString() {
        return scriptName;
    }
}
