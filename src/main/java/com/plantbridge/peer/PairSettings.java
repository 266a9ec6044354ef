package com.plantbridge.peer;

/**
 * What this node's view tells the peer about its settings: which version it holds, whether the
 * two nodes are compatible, and why the pair is in an error state. The settings mirror, which sits
 * above the peer link, implements this.
 */
public interface PairSettings {

    /** The version of the settings document format this node writes and reads. */
    int schema();

    String compatibility();

    long version();

    /** For signed peer messages only: the checksum is never shown on an unauthenticated page. */
    String checksum();

    /** Why this node is in a redundancy error state, or null; shown in status and health. */
    String errorState(String peerLinkError);
}
