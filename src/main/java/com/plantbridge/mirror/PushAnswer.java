package com.plantbridge.mirror;

/** The Backup's node's signed answer to a settings document: what it did and the version it holds. */
public record PushAnswer(SettingsMirror.Outcome outcome, long version, String message) {
}
