package com.plantbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.plantbridge.testing.FreePort;

/**
 * A {@link BenchNodeMain} node in its own JVM ({@code java -cp <test classpath>}), so that its heap, start-up and
 * CPU are its own: the gateways, the fake and the benchmark's bookkeeping stay in the parent. The child's
 * {@code BENCH ...} lines are collected from its stdout; its other lines (the leadership and knowledge log, at INFO) go to {@code node.log} and its stderr to
 * {@code stderr.log} in its directory.
 */
final class BenchChild implements AutoCloseable {

    private final Process process;
    private final String adminUrl;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final long launchedNanos;

    private BenchChild(Process process, String adminUrl, long launchedNanos, Path log) {
        this.process = process;
        this.adminUrl = adminUrl;
        this.launchedNanos = launchedNanos;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                         java.nio.file.StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("BENCH ")) {
                        lines.add(line);
                    } else {
                        out.write(line);
                        out.write('\n');
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Writes the settings file into {@code dir}/config and launches the node with {@code jvmArgs} (e.g. -Xmx512m)
     * and the node {@code properties}.
     */
    static BenchChild launch(Path dir, String settingsYaml, List<String> jvmArgs, Map<String, String> properties) throws IOException {
        return launch(dir, settingsYaml, jvmArgs, properties, FreePort.next());
    }

    /** As {@link #launch(Path, String, List, Map)} on a given admin port (a pair's nodes name each other's); null settings keeps the file there. */
    static BenchChild launch(Path dir, String settingsYaml, List<String> jvmArgs, Map<String, String> properties, int adminPort) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        if (settingsYaml != null) {
            Files.writeString(dir.resolve("config/maintainx.yaml"), settingsYaml);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchNodeMain.class.getName(),
                dir.toString(), "adminPort=" + adminPort));
        properties.forEach((k, v) -> command.add(k + "=" + v));
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile()).start();
        return new BenchChild(process, "http://127.0.0.1:" + adminPort, t0, dir.resolve("node.log"));
    }

    String adminUrl() {
        return adminUrl;
    }

    /** Seconds since the process was launched. */
    double secondsSinceLaunch() {
        return (System.nanoTime() - launchedNanos) / 1e9;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The next {@code BENCH <prefix>...} line, or null after the timeout. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.startsWith("BENCH " + prefix)) {
                return line;
            }
        }
    }

    /** Heap used after three full GCs in the child, bytes. */
    long heapAfterGc() throws Exception {
        stdin.write("heap\n");
        stdin.flush();
        String line = awaitLine("heap ", Duration.ofSeconds(30));
        if (line == null) {
            throw new IllegalStateException("child JVM did not report its heap" + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
        }
        return Long.parseLong(line.split(" ")[2]);
    }

    /** CPU time the child used so far (all its threads), or -1 when the OS does not tell. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** kill -9: the node gets no chance to hand over, flush or close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                stdin.write("quit\n");
                stdin.flush();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            }
        } catch (IOException e) {
            // the child is gone already
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
