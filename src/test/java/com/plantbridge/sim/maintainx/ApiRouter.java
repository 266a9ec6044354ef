package com.plantbridge.sim.maintainx;

/** Maps {@code /v1} method and path to the endpoint that answers it. */
final class ApiRouter {

    private static final String PREFIX = "/v1";

    private final MeterReadingsEndpoint meterReadings;
    private final MetersEndpoint meters;
    private final AssetStatusEndpoint assetStatus;

    ApiRouter(MeterReadingsEndpoint meterReadings, MetersEndpoint meters, AssetStatusEndpoint assetStatus) {
        this.meterReadings = meterReadings;
        this.meters = meters;
        this.assetStatus = assetStatus;
    }

    ApiResponse route(Caller caller, String method, String path, QueryParams query, byte[] body) {
        String[] segments = segments(path);
        if (segments == null) {
            return notFound();
        }
        boolean post = "POST".equals(method);
        boolean get = "GET".equals(method);
        if (segments.length == 1 && segments[0].equals("meterreadings") && post) {
            return meterReadings.post(caller, body);
        }
        if (segments.length == 1 && segments[0].equals("meters")) {
            if (post) {
                return meters.create(caller, body);
            }
            if (get) {
                return meters.list(caller, query);
            }
        }
        if (segments.length == 2 && segments[0].equals("meters") && get) {
            return meters.get(caller, segments[1], query);
        }
        if (segments.length == 3 && segments[0].equals("assets") && segments[2].equals("status") && post) {
            return assetStatus.post(caller, segments[1], body);
        }
        if (segments.length == 1 && segments[0].equals("assetstatuses") && get) {
            return assetStatus.list(caller, query);
        }
        return notFound();
    }

    /** Path segments after {@code /v1}, ignoring a trailing slash; null when the path is not under /v1. */
    private static String[] segments(String path) {
        if (!path.startsWith(PREFIX + "/")) {
            return null;
        }
        String rest = path.substring(PREFIX.length() + 1);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest.isEmpty() ? null : rest.split("/");
    }

    private static ApiResponse notFound() {
        return ApiResponse.error(404, "Not Found");
    }
}
