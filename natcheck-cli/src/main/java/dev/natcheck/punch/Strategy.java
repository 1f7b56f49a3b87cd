package dev.natcheck.punch;

import dev.natcheck.behavior.EndpointDependence;
import java.util.Optional;

/**
 * The prediction for a pair, before anything is sent: a pure function of the two NAT profiles
 * and whether either side asked for the birthday trick. Rules, in order (docs/punch.md has the
 * 6 x 6 table):
 * <ol>
 * <li>a side without any UDP answer → relay;
 * <li>a side that anyone can reach (endpoint-independent mapping and filtering, or no NAT and no
 *     filter) → direct;
 * <li>both sides with endpoint-independent mapping → punch;
 * <li>one symmetric side against an address-dependent filter → punch (the symmetric side's new
 *     port is learned from its first check, peer-reflexive);
 * <li>one symmetric side against a port-dependent filter → punch with port prediction: birthday
 *     when asked, sequential when the symmetric NAT counts its ports, relay when it picks them at
 *     random or nothing says how;
 * <li>both symmetric → relay.
 * </ol>
 * A mapping the behaviour tests could not measure counts as endpoint-independent, and a filtering
 * they could not measure as port-dependent, each with a note: the prediction then says what natcheck
 * tries, and the outcome says whether that worked.
 */
public final class Strategy {

    private Strategy() {}

    /** The prediction from {@code local}'s point of view; the peer's own is its {@link Prediction#mirrored()}. */
    public static Prediction predict(NatProfile local, NatProfile peer, boolean birthday) {
        if (!local.udpAnswered() || !peer.udpAnswered()) {
            String who = !local.udpAnswered() && !peer.udpAnswered()
                    ? "either side"
                    : !local.udpAnswered() ? "this side" : "the peer's side";
            return Prediction.of(
                    Prediction.Path.RELAY,
                    "UDP got no answer on " + who + ", so no UDP path can open there; a TURN relay reached over "
                            + "TCP or TLS is needed");
        }
        if (local.reachable() || peer.reachable()) {
            String who = local.reachable() && peer.reachable()
                    ? "both sides accept"
                    : local.reachable() ? "this side accepts" : "the peer accepts";
            return Prediction.of(
                    Prediction.Path.DIRECT,
                    who + " datagrams from anyone at " + (local.reachable() && peer.reachable() ? "their" : "its")
                            + " public address (endpoint-independent mapping and filtering), so the other "
                            + "side's checks get in at once");
        }
        boolean localIndependent = independent(local);
        boolean peerIndependent = independent(peer);
        String notes = assumed(local, "this side") + assumed(peer, "the peer");
        if (localIndependent && peerIndependent) {
            return Prediction.of(
                    Prediction.Path.PUNCH,
                    "both NATs keep one mapping per socket whatever the destination: each side's check opens its "
                            + "own NAT for the other's public address, so the checks cross (simultaneous open)"
                            + notes);
        }
        if (!localIndependent && !peerIndependent) {
            return Prediction.of(
                    Prediction.Path.RELAY,
                    "both NATs are symmetric: each gives a new port to every destination, so neither side can "
                            + "learn the port the other will use; a relay is needed" + notes);
        }
        Prediction.Side symmetricSide = localIndependent ? Prediction.Side.PEER : Prediction.Side.LOCAL;
        NatProfile cone = localIndependent ? local : peer;
        NatProfile symmetric = localIndependent ? peer : local;
        String coneName = localIndependent ? "this side's" : "the peer's";
        String symmetricName = localIndependent ? "the peer's" : "this side's";
        if (cone.filtering().equals(Optional.of(EndpointDependence.ADDRESS_DEPENDENT))) {
            return Prediction.of(
                    Prediction.Path.PUNCH,
                    coneName + " NAT filters by address only (restricted cone): once it has sent to " + symmetricName
                            + " public address, the new port " + symmetricName
                            + " symmetric NAT uses gets in, and is learned from its first check (peer-reflexive)"
                            + notes);
        }
        String filter = coneName + " NAT lets in only the exact address and port it sent to"
                + (cone.filtering().isEmpty() ? " (filtering not measured, assumed so)" : "")
                + ", and " + symmetricName + " symmetric NAT gives a new port to every destination";
        if (birthday) {
            return new Prediction(
                    Prediction.Path.PUNCH_WITH_PORT_PREDICTION,
                    Prediction.PortPrediction.BIRTHDAY,
                    Optional.of(symmetricSide),
                    filter + ": the birthday trick, " + PortPredictionBudget.BIRTHDAY_PORTS
                            + " ports opened on the symmetric side and up to " + PortPredictionBudget.BIRTHDAY_PROBES
                            + " probes to random ports from the other, meets with about 98 % probability"
                            + notes);
        }
        return switch (symmetric.ports().allocation()) {
            case SEQUENTIAL ->
                new Prediction(
                        Prediction.Path.PUNCH_WITH_PORT_PREDICTION,
                        Prediction.PortPrediction.SEQUENTIAL,
                        Optional.of(symmetricSide),
                        filter + ": it counts its ports in steps of "
                                + symmetric.ports().step()
                                + ", so checks to the predicted next ports can meet the new one" + notes);
            case RANDOM ->
                Prediction.of(
                        Prediction.Path.RELAY,
                        filter + ", picked at random: no prediction can find it (--birthday tries the "
                                + "birthday trick, about 98 %); otherwise a relay is needed" + notes);
            case REUSED, UNKNOWN ->
                Prediction.of(
                        Prediction.Path.RELAY,
                        filter + ", and how it picks them is unknown, so there is nothing to predict "
                                + "(--birthday tries the birthday trick); otherwise a relay is needed" + notes);
        };
    }

    /** Endpoint-independent mapping, or a mapping not measured (assumed so). */
    private static boolean independent(NatProfile profile) {
        return profile.mappingIndependent() || profile.mapping().isEmpty();
    }

    private static String assumed(NatProfile profile, String who) {
        return !profile.mappingIndependent() && profile.mapping().isEmpty()
                ? "; " + who + "'s mapping was not measured and is assumed endpoint-independent"
                : "";
    }
}
