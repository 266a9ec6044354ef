package com.plantbridge.sim.maintainx;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** {@code POST /v1/meterreadings}: all-or-nothing batch insert. */
final class MeterReadingsEndpoint {

    private final ReadingParser parser = new ReadingParser();
    private final MeterStore meters;
    private final ReadingStore readings;
    private final FaultInjector faults;
    private final Clock clock;
    private volatile boolean autoCreateMeters;

    MeterReadingsEndpoint(MeterStore meters, ReadingStore readings, FaultInjector faults, Clock clock) {
        this.meters = meters;
        this.readings = readings;
        this.faults = faults;
        this.clock = clock;
    }

    void autoCreateMeters(boolean enabled) {
        autoCreateMeters = enabled;
    }

    ApiResponse post(Caller caller, byte[] body) {
        int injected = faults.takeFailure();
        if (injected != 0) {
            return ApiResponse.error(injected, InjectedFailures.message(injected));
        }
        Instant now = clock.instant();
        ReadingParser.Result parsed = parser.parse(body, now);
        if (!parsed.valid()) {
            return ApiResponse.errors(400, parsed.errors()).withReadingCount(parsed.count());
        }
        List<FieldError> rejected = testRejections(parsed.readings());
        if (!rejected.isEmpty()) {
            return ApiResponse.errors(400, rejected).withReadingCount(parsed.count());
        }
        if (!ensureMeters(parsed.readings(), caller.organizationId(), now)) {
            return ApiResponse.error(404, "meter Not Found").withReadingCount(parsed.count());
        }
        List<StoredReading> stored = store(parsed.readings(), caller, now);
        faults.runAfterStore();
        List<Object> created = new ArrayList<>(stored.size());
        for (StoredReading reading : stored) {
            created.add(MeterJson.createdReading(reading));
        }
        return ApiResponse.json(201, created).withReadingCount(parsed.count());
    }

    private List<FieldError> testRejections(List<ReadingInput> inputs) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Optional<String> message = faults.rejection(inputs.get(i));
            if (message.isPresent()) {
                errors.add(new FieldError(message.get(), "[" + i + "]", Json.number(inputs.get(i).value())));
            }
        }
        return errors;
    }

    /** Checks every meter before creating any, so a 404 leaves no auto-created meters behind. */
    private boolean ensureMeters(List<ReadingInput> inputs, long organizationId, Instant now) {
        List<Long> missing = new ArrayList<>();
        for (ReadingInput input : inputs) {
            if (meters.find(input.meterId(), organizationId).isEmpty()) {
                if (!autoCreateMeters || meters.exists(input.meterId())) {
                    return false;
                }
                missing.add(input.meterId());
            }
        }
        for (Long id : missing) {
            if (!meters.exists(id)) {
                meters.put(id, "Meter " + id, "", organizationId, now);
            }
        }
        return true;
    }

    private List<StoredReading> store(List<ReadingInput> inputs, Caller caller, Instant now) {
        Instant createdAt = now.truncatedTo(ChronoUnit.MILLIS);
        List<StoredReading> stored = new ArrayList<>(inputs.size());
        for (ReadingInput input : inputs) {
            stored.add(new StoredReading(readingId(input.meterId()), input.meterId(), input.value(),
                    input.readingDate(), createdAt, caller.token(), caller.organizationHeader(),
                    caller.userAgent()));
        }
        readings.addAll(stored);
        return stored;
    }

    // UUID.randomUUID() draws from SecureRandom, too slow for the throughput benchmark; ids need not be secret.
    private static String readingId(long meterId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return meterId + "-" + new UUID(most, least);
    }
}
