package com.plantbridge.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;

import com.plantbridge.testing.TestNode;

/**
 * A node alone in its own JVM, for clean start-up and heap numbers (the gateways, the fake and the
 * benchmark's own bookkeeping stay in the parent). Args: work dir (with config/maintainx.yaml written by
 * the parent), then {@code adminPort=N} and node properties as {@code key=value}. Reads commands on
 * stdin: {@code heap} (full GC, then prints {@code BENCH heap <used> <committed>}), {@code quit}.
 */
public final class BenchNodeMain {

    private BenchNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        BridgeBenchmark.quietLogs();
        // A switch's own story, one line per step, for reading a slow handover afterwards (node.log)
        for (String capability : new String[] {"redundancy", "knowledge", "peer", "tags"}) {
            org.apache.logging.log4j.core.config.Configurator.setLevel("com.plantbridge." + capability, org.apache.logging.log4j.Level.INFO);
        }
        TestNode.Builder builder = TestNode.builder(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[0].equals("adminPort")) {
                builder.adminPort(Integer.parseInt(kv[1]));
            } else {
                builder.property(kv[0], kv[1]);
            }
        }
        TestNode node = builder.start();
        System.out.println("BENCH started " + ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("heap")) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(200);
                }
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.println("BENCH heap " + heap.getUsed() + " " + heap.getCommitted());
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        node.close();
        System.exit(0);
    }
}
