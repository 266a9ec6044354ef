package com.plantbridge.maintainx;

/** Where a connector's sender stands, as status and health show it. */
public enum SenderState {
    /** Nothing waiting, or sending normally. */
    OK,
    /** MaintainX did not answer or answered 5xx; retrying with backoff. */
    RETRYING,
    /** The token was refused (401/403); readings are kept and retried slowly. */
    AUTH_ERROR
}
