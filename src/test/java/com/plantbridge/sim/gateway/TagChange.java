package com.plantbridge.sim.gateway;

import java.time.Instant;

/**
 * One {@link SimulatedGateway#writeTag} as it happened. The activity level is captured so tests can tell
 * which writes a redundancy-aware client should have forwarded and spot duplicates or losses across a failover.
 *
 * @param sourceTime already truncated to OPC UA DateTime precision (100 ns), i.e. exactly what clients receive
 */
public record TagChange(String path, Object value, long statusCode, Instant sourceTime, String role, String activityLevel) {}
