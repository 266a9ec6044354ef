package com.plantbridge.peer;

/** The signed answer to POST /api/peer/handover: granted, or refused with why. */
public record HandoverAnswer(boolean granted, String reason) {
}
