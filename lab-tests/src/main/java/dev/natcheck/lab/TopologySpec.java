package dev.natcheck.lab;

import java.util.List;

/** Something lab/netlab.sh can build: its name there and the roles of its namespaces. */
public interface TopologySpec {

    /** The name lab/netlab.sh takes. */
    String scriptName();

    /** The namespaces it has, client first, server last. */
    List<Role> roles();
}
