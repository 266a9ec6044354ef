package com.plantbridge.sim.gateway;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a handful of {@code [default]Demo/} tags moving so a demo has something to show. */
final class DemoTagDriver implements AutoCloseable {

  static final String TEMPERATURE = "[default]Demo/Temperature";
  static final String COUNTER = "[default]Demo/Counter";
  static final String RUNNING = "[default]Demo/Running";
  static final String PRESSURE = "[default]Demo/Pressure";

  private static final Logger LOG = LoggerFactory.getLogger(DemoTagDriver.class);
  // Slow enough that a demo viewer can see Running flip between stretches of activity.
  private static final int TICKS_PER_RUNNING_TOGGLE = 20;

  private final SimulatedGateway gateway;
  private final ScheduledExecutorService timer;
  private final Random random = new Random();
  private float temperature = 21.5f;
  private int counter;
  private boolean running = true;
  private long ticks;

  DemoTagDriver(SimulatedGateway gateway, String gatewayName) {
    this.gateway = gateway;
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
    if (!gateway.hasTag(path)) {
      gateway.addTag(path, initial);
    }
  }

  private void tick() {
    try {
      ticks++;
      temperature += (float) (random.nextGaussian() * 0.2);
      counter++;
      if (ticks % TICKS_PER_RUNNING_TOGGLE == 0) {
        running = !running;
        gateway.writeTag(RUNNING, running);
      }
      gateway.writeTag(TEMPERATURE, temperature);
      gateway.writeTag(COUNTER, counter);
      gateway.writeTag(PRESSURE, 1.0 + random.nextDouble() * 0.05);
    } catch (RuntimeException e) {
      // A failed tick must not cancel the schedule, which scheduleAtFixedRate does on any exception.
      LOG.warn("demo tick failed", e);
    }
  }
}
