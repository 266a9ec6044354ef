package com.plantbridge.sim.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's unauthenticated {@code GET /system/gwinfo}. Its port is fixed after the first bind so that
 * {@link GwinfoMode#DOWN} and back looks to a poller like the same gateway going away and returning.
 */
final class GwinfoHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GwinfoHttpServer.class);
  private static final String GARBAGE = "<html><body>Gateway is busy \u00af\\_(\u30c4)_/\u00af</body></html>";

  private final Supplier<String> gwinfo;
  private final int port;
  private HttpServer server;
  private volatile GwinfoMode mode = GwinfoMode.NORMAL;
  private volatile long delayMillis;
  private final java.util.concurrent.atomic.AtomicInteger misbehaveCount = new java.util.concurrent.atomic.AtomicInteger();
  private volatile GwinfoMode misbehaveMode = GwinfoMode.NORMAL;

  GwinfoHttpServer(int requestedPort, Supplier<String> gwinfo) {
    this.gwinfo = gwinfo;
    this.server = bind(requestedPort);
    this.port = server.getAddress().getPort();
  }

  int port() {
    return port;
  }

  synchronized void setMode(GwinfoMode newMode) {
    if (newMode == GwinfoMode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (newMode != GwinfoMode.DOWN && server == null) {
      server = bind(port);
    }
    mode = newMode;
    LOG.info("gwinfo on port {} now {}", port, newMode);
  }

  /** Every answer waits this long first (0: none), as a busy gateway answers. */
  void setDelay(java.time.Duration delay) {
    delayMillis = delay.toMillis();
    LOG.info("gwinfo on port {} now answers after {} ms", port, delayMillis);
  }

  /** The next {@code count} requests get {@code how} (DROP, HTTP_500 or GARBAGE), then the mode applies again. */
  void misbehaveNext(int count, GwinfoMode how) {
    if (how == GwinfoMode.DOWN) {
      throw new IllegalArgumentException("DOWN is a mode of the server, not of one request");
    }
    misbehaveMode = how;
    misbehaveCount.set(count);
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  private HttpServer bind(int bindPort) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(OpcUaSettings.HOST, bindPort), 0);
      http.createContext("/system/gwinfo", this::handle);
      http.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind gwinfo HTTP server to port " + bindPort, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      GwinfoMode now = misbehaveCount.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? misbehaveMode : mode;
      long delay = delayMillis;
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())) {
        respond(exchange, 405, "Method Not Allowed");
      } else if (now == GwinfoMode.DROP) {
        LOG.info("gwinfo on port {} dropped a request", port);
        // closed without an answer: the client sees the connection end
      } else if (now == GwinfoMode.HTTP_500) {
        respond(exchange, 500, "Internal Server Error");
      } else if (now == GwinfoMode.GARBAGE) {
        respond(exchange, 200, GARBAGE);
      } else {
        respond(exchange, 200, gwinfo.get());
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
