package com.plantbridge.ops;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.plantbridge.maintainx.ConnectorSender;
import com.plantbridge.maintainx.MaintainxSenders;
import com.plantbridge.maintainx.MeterProvisioner;
import com.plantbridge.maintainx.RefusedMeters;
import com.plantbridge.tags.IgnitionTagsComponent;
import com.plantbridge.tags.IgnitionTagsConsumer;
import com.plantbridge.tags.SubscriptionState;

/**
 * A connector's per-tag lists, complete and in a stable order (by tag path; refused meters by
 * meter id): GET /api/status shows each one's count and first {@value #EXAMPLES} entries, GET
 * /api/status/tags pages through them. Measured with the lists in full (badQuality had no bound,
 * the others 100 entries): GET /api/status answered 1.25 MB in 81 to 186 ms (median) at 20
 * connectors x 6,000 tags with a third refused and a third not numeric; 73 to 75 KB in 30 to 48 ms
 * with summaries (StatusAtScaleTest).
 */
public final class TagLists {

    public static final int EXAMPLES = 5;
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1_000;
    /** The lists, by their name in {@code GET /api/status/tags?list=}. */
    public static final List<String> NAMES = List.of("refused", "notNumeric", "badQuality", "skipped", "meters", "meterFailures", "refusedMeters");

    private final IgnitionTagsComponent tags;
    private final MaintainxSenders senders;
    private final MeterProvisioner meters;

    public TagLists(IgnitionTagsComponent tags, MaintainxSenders senders, MeterProvisioner meters) {
        this.tags = tags;
        this.senders = senders;
        this.meters = meters;
    }

    /** One page of a connector's list: {@code total}, the items from {@code offset}, and {@code nextOffset} while more follow. */
    public Map<String, Object> page(String connector, String list, int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("query parameter offset must be 0 or more, got " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("query parameter limit must be from 1 to " + MAX_PAGE + ", got " + limit);
        }
        List<?> all = list(connector, list);
        int from = Math.min(offset, all.size());
        int to = (int) Math.min(all.size(), (long) from + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("connector", connector);
        page.put("list", list);
        page.put("total", all.size());
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("nextOffset", to < all.size() ? to : null);
        page.put("items", new ArrayList<>(all.subList(from, to)));
        return page;
    }

    private List<?> list(String connector, String list) {
        IgnitionTagsConsumer consumer = tags.consumer(connector).orElse(null);
        return switch (list) {
            case "refused" -> consumer == null ? List.of() : consumer.subscriptionState().refused();
            case "notNumeric" -> consumer == null ? List.of() : byTag(consumer.notMeterValues());
            case "badQuality" -> consumer == null ? List.of() : badQuality(consumer.badQualityCounts());
            case "skipped" -> consumer == null ? List.of() : consumer.lastScan().map(scan -> byTag(scan.skipped())).orElse(List.of());
            case "meters" -> meters(meters.mapped(connector));
            case "meterFailures" -> failures(meters.status(connector).failures());
            case "refusedMeters" -> senders.existing(connector).map(ConnectorSender::refusedMeters).map(TagLists::refusedMeters).orElse(List.of());
            default -> throw new IllegalArgumentException("query parameter list must be one of " + String.join(", ", NAMES) + ", got " + list);
        };
    }

    /** The first {@value #EXAMPLES} entries of a list. */
    public static <T> List<T> examples(List<T> all) {
        return new ArrayList<>(all.subList(0, Math.min(EXAMPLES, all.size())));
    }

    /** The first {@value #EXAMPLES} entries of a map by tag, as a map (status keeps the shape it had). */
    public static <V> Map<String, V> examples(Map<String, V> byTag) {
        Map<String, V> first = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : byTag.entrySet()) {
            if (first.size() == EXAMPLES) {
                break;
            }
            first.put(e.getKey(), e.getValue());
        }
        return first;
    }

    /** Tags with the reason they are kept out (by tag path, as the map is sorted). */
    public static List<SubscriptionState.RefusedTag> byTag(Map<String, String> reasons) {
        return view(reasons, e -> new SubscriptionState.RefusedTag(e.getKey(), e.getValue()));
    }

    public static List<Map<String, Object>> badQuality(Map<String, Long> counts) {
        return view(counts, e -> item("tag", e.getKey(), "count", e.getValue()));
    }

    public static List<Map<String, Object>> meters(Map<String, Long> mapped) {
        return view(mapped, e -> item("tag", e.getKey(), "meterId", e.getValue()));
    }

    public static List<Map<String, Object>> failures(Map<String, String> failures) {
        return view(failures, e -> item("tag", e.getKey(), "error", e.getValue()));
    }

    public static List<Map<String, Object>> refusedMeters(List<RefusedMeters.RefusedMeter> refused) {
        return view(refused, meter -> {
            Map<String, Object> m = item("meterId", meter.meterId(), "tag", meter.tag());
            m.put("reason", meter.reason());
            m.put("since", meter.since().toString());
            return m;
        });
    }

    /** The map's entries in its order, each made into an item only when it is read (a summary reads 5 of thousands). */
    private static <V, T> List<T> view(Map<String, V> map, Function<Map.Entry<String, V>, T> item) {
        return view(new ArrayList<>(map.entrySet()), item);
    }

    private static <S, T> List<T> view(List<S> source, Function<S, T> item) {
        return new AbstractList<>() {
            @Override
            public T get(int index) {
                return item.apply(source.get(index));
            }

            @Override
            public int size() {
                return source.size();
            }
        };
    }

    private static Map<String, Object> item(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
