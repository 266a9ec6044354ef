package com.plantbridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests to MaintainX and its 429 answers per connector within the last rate-limit window, as the
 * status page shows them next to the budget (maintainx.rate-limit.requests per window).
 */
public final class RequestWindow {

    /** Answers of one connector within the window, oldest first. */
    private record Answer(long at, boolean tooManyRequests) {
    }

    public record Counts(long requests, long tooManyRequests) {
    }

    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

    public RequestWindow(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    void record(String connector, boolean tooManyRequests) {
        Deque<Answer> line = answers.computeIfAbsent(connector, name -> new ArrayDeque<>());
        synchronized (line) {
            long now = clock.millis();
            line.addLast(new Answer(now, tooManyRequests));
            forgetOld(line, now);
        }
    }

    public Counts counts(String connector) {
        Deque<Answer> line = answers.get(connector);
        if (line == null) {
            return new Counts(0, 0);
        }
        synchronized (line) {
            forgetOld(line, clock.millis());
            return new Counts(line.size(), line.stream().filter(Answer::tooManyRequests).count());
        }
    }

    private void forgetOld(Deque<Answer> line, long now) {
        while (!line.isEmpty() && now - line.peekFirst().at() >= window.toMillis()) {
            line.removeFirst();
        }
    }
}
