package com.plantbridge.sim.maintainx;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Failures armed by tests; each armed failure is consumed by exactly one request. */
final class FaultInjector {

    private record Rule(Predicate<ReadingInput> predicate, String message) {
    }

    private final ArrayDeque<Integer> failStatuses = new ArrayDeque<>();
    private int dropsLeft;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    synchronized void failNext(int count, int status) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599)");
        }
        for (int i = 0; i < count; i++) {
            failStatuses.add(status);
        }
    }

    /** The status to fail the current request with, or 0 when none is armed; runs a hook armed with it. */
    int takeFailure() {
        Integer status;
        Runnable hook;
        synchronized (this) {
            status = failStatuses.poll();
            hook = status == null ? null : failureHooks.poll();
        }
        if (hook != null) {
            hook.run();
        }
        return status == null ? 0 : status;
    }

    private final ArrayDeque<Runnable> failureHooks = new ArrayDeque<>();

    /** One failure whose hook runs before the answer is written: a client that dies here never reads it. */
    synchronized void failNextThen(int status, Runnable hook) {
        if (!failStatuses.isEmpty()) {
            throw new IllegalStateException("failNextThen must be the only armed failure");
        }
        failNext(1, status);
        failureHooks.add(hook);
    }

    synchronized void dropNext(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        dropsLeft += count;
    }

    synchronized boolean takeDrop() {
        if (dropsLeft == 0) {
            return false;
        }
        dropsLeft--;
        return true;
    }

    void rejectWhen(Predicate<ReadingInput> predicate, String message) {
        if (predicate == null || message == null) {
            throw new IllegalArgumentException("predicate and message are required");
        }
        rules.add(new Rule(predicate, message));
    }

    /** The message of the first rule rejecting the reading. */
    Optional<String> rejection(ReadingInput reading) {
        for (Rule rule : rules) {
            if (rule.predicate().test(reading)) {
                return Optional.of(rule.message());
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        failStatuses.clear();
        failureHooks.clear();
        dropsLeft = 0;
        rules.clear();
        afterNextMeterCreate.set(null);
        meterCreateFailures.clear();
    }

    private final java.util.concurrent.atomic.AtomicReference<Runnable> afterNextStore = new java.util.concurrent.atomic.AtomicReference<>();

    private final java.util.concurrent.atomic.AtomicReference<Runnable> afterNextMeterCreate = new java.util.concurrent.atomic.AtomicReference<>();
    private final ArrayDeque<Integer> meterCreateFailures = new ArrayDeque<>();

    synchronized void failNextMeterCreates(int count, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599)");
        }
        for (int i = 0; i < count; i++) {
            meterCreateFailures.add(status);
        }
    }

    /** The status to fail the current POST /meters with, or 0. */
    synchronized int takeMeterCreateFailure() {
        Integer status = meterCreateFailures.poll();
        return status == null ? 0 : status;
    }

    /** Runs once, after the next meter is created and before its 201 is written. */
    void afterNextMeterCreate(Runnable hook) {
        afterNextMeterCreate.set(hook);
    }

    void runAfterMeterCreate() {
        Runnable hook = afterNextMeterCreate.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    /** Runs once, after the next stored batch and before its 201 is written: a client that dies here never learns it succeeded. */
    void afterNextStore(Runnable hook) {
        afterNextStore.set(hook);
    }

    void runAfterStore() {
        Runnable hook = afterNextStore.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }
}
