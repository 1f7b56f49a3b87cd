package dev.natcheck.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** A SIGTERM is the handler's whether it comes before or after the daemon is bound to it. */
class StopSignalsTest {

    @Test
    void aStopRequestedBeforeTheBindingRunsAsSoonAsTheDaemonIsBound() {
        StopSignals.Stop stop = StopSignals.install();
        // What the handler does with a signal that comes before the daemon listens.
        stop.request();

        CountDownLatch stopped = new CountDownLatch(1);
        stop.bind(stopped::countDown);

        assertThat(stopped.getCount()).isZero();
    }

    @Test
    void aSignalAfterTheBindingStopsTheDaemon() throws Exception {
        StopSignals.Stop stop = StopSignals.install();
        CountDownLatch stopped = new CountDownLatch(1);
        stop.bind(stopped::countDown);

        Signal.raise(new Signal("TERM"));

        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void noSignalNoStop() {
        StopSignals.Stop stop = StopSignals.install();
        CountDownLatch stopped = new CountDownLatch(1);
        stop.bind(stopped::countDown);

        assertThat(stopped.getCount()).isEqualTo(1);
    }
}
