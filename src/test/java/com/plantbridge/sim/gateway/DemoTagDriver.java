package com.plantbridge.sim.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a handful of {@code [default]Demo/} tags moving so a demo has something to show. Given both
 * gateways of a pair it writes the same values to both, as a Warm standby sees the same machine.
 */
final class DemoTagDriver implements AutoCloseable {

  static final String TEMPERATURE = "[default]Demo/Temperature";
  static final String COUNTER = "[default]Demo/Counter";
  static final String RUNNING = "[default]Demo/Running";
  static final String PRESSURE = "[default]Demo/Pressure";

  private static final Logger LOG = LoggerFactory.getLogger(DemoTagDriver.class);
  // Slow enough that a demo viewer can see Running flip between stretches of activity.
  private static final int TICKS_PER_RUNNING_TOGGLE = 20;

  private final List<SimulatedGateway> gateways;
  private final ScheduledExecutorService timer;
  private final Random random = new Random();
  private float temperature = 21.5f;
  private int counter;
  private boolean running = true;
  private long ticks;

  DemoTagDriver(List<SimulatedGateway> gateways, String gatewayName) {
    this.gateways = List.copyOf(gateways);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "sim-gateway-demo-" + gatewayName);
      thread.setDaemon(true);
      return thread;
    });
  }

  void start(Duration period) {
    addIfMissing(TEMPERATURE, temperature);
    addIfMissing(COUNTER, counter);
    addIfMissing(RUNNING, running);
    addIfMissing(PRESSURE, 1.013);
    long millis = Math.max(1, period.toMillis());
    timer.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void addIfMissing(String path, Object initial) {
    for (SimulatedGateway gateway : gateways) {
      if (!gateway.hasTag(path)) {
        gateway.addTag(path, initial);
      }
    }
  }

  private void write(String path, Object value) {
    for (SimulatedGateway gateway : gateways) {
      gateway.writeTag(path, value);
    }
  }

  private void tick() {
    try {
      ticks++;
      temperature += (float) (random.nextGaussian() * 0.2);
      counter++;
      if (ticks % TICKS_PER_RUNNING_TOGGLE == 0) {
        running = !running;
        write(RUNNING, running);
      }
      write(TEMPERATURE, temperature);
      write(COUNTER, counter);
      write(PRESSURE, 1.0 + random.nextDouble() * 0.05);
    } catch (RuntimeException e) {
      // A failed tick must not cancel the schedule, which scheduleAtFixedRate does on any exception.
      LOG.warn("demo tick failed", e);
    }
  }
}
