package com.plantbridge.tags;

import java.util.List;

/**
 * A connector's subscription as the gateway holds it: {@code subscribed} only with every tag.
 *
 * @param tagsSubscribed monitored items the gateway accepted in the current session (0 without one)
 * @param refused the tags the gateway refused, with its status code (Bad_NodeIdUnknown, Bad_UserAccessDenied...)
 */
public record SubscriptionState(boolean subscribed, int tags, int tagsSubscribed, List<RefusedTag> refused) {

    public static final SubscriptionState NONE = new SubscriptionState(false, 0, 0, List.of());

    public record RefusedTag(String tag, String reason) {
    }
}
