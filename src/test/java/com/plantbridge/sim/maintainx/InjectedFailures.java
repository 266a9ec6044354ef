package com.plantbridge.sim.maintainx;

/** Error texts for statuses armed with {@link MaintainxSandbox#failNext}. */
final class InjectedFailures {

    private InjectedFailures() {
    }

    static String message(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Injected failure (HTTP " + status + ")";
        };
    }
}
