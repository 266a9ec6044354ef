package com.plantbridge.mirror;

/** The settings document the Master's node sends: version, checksum of the plain file, and the file AES-GCM sealed. */
public record MirrorDocument(long version, String checksum, int schema, String compatibility, String sealed) {
}
