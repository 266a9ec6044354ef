package com.plantbridge.peer;

import java.util.Map;

import com.plantbridge.maintainx.MaintainxClient.LastReading;

/** The signed answer to POST /api/peer/handover: granted with what the answering node captured, or refused with why. */
public record HandoverAnswer(boolean granted, String reason, Map<String, Map<Long, LastReading>> captured) {
}
