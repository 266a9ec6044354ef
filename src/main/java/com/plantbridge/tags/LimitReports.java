package com.plantbridge.tags;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ERROR when a connector's tags first go over bridge.max-tags-per-connector, naming the
 * connector and the counts, and one INFO when they are within it again, whatever the number of
 * scans or route restarts in between (the node's life).
 */
final class LimitReports {

    private static final Logger LOG = LoggerFactory.getLogger(LimitReports.class);

    private final Set<String> over = ConcurrentHashMap.newKeySet();

    void report(String connector, TagScan scan) {
        if (scan.overLimit() && over.add(connector)) {
            LOG.error("Connector {}: its tags and folders hold {} tags, more than the {} a connector may have (bridge.max-tags-per-connector);"
                    + " the first {} (listed tags, then by path) keep streaming, {} are not monitored", connector, scan.found(), scan.max(),
                    scan.tags().size(), scan.dropped());
        } else if (!scan.overLimit() && over.remove(connector)) {
            LOG.info("Connector {}: its {} tags are within the limit of {} again; all are monitored", connector, scan.found(), scan.max());
        }
    }
}
