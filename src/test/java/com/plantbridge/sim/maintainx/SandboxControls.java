package com.plantbridge.sim.maintainx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What whoever runs the sandbox put on its page: buttons (each a {@code POST /sandbox/control/<name>}) and a
 * status supplier, e.g. the simulated gateways' failover and their redundancy states. Registered after the
 * server started and read by the page handler's thread, hence the thread-safe holders.
 */
final class SandboxControls {

    /** A button on the page: {@code label} is shown, {@code name} is the last segment of the control's path. */
    record Button(String name, String label) {
    }

    private final List<Button> buttons = new CopyOnWriteArrayList<>();
    private volatile Supplier<Map<String, String>> status = Map::of;

    void add(String name, String label) {
        buttons.add(new Button(name, label));
    }

    List<Button> buttons() {
        return List.copyOf(buttons);
    }

    void status(Supplier<Map<String, String>> supplier) {
        status = supplier;
    }

    Map<String, String> status() {
        return status.get();
    }
}
