package com.plantbridge.tags;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import com.plantbridge.maintainx.MeterDirectory;
import com.plantbridge.settings.ConnectorSettings;
import com.plantbridge.settings.FolderSettings;
import com.plantbridge.settings.TagSettings;

/**
 * What a connector's folders hold now, merged with its listed tags ({@link TagSelection}), with
 * what was skipped and why, and the tags that need a meter found or created.
 */
final class ConnectorCatalogue {

    private final ConnectorSettings connector;
    private final FolderBrowser browser;
    private final int maxTags;

    ConnectorCatalogue(ConnectorSettings connector, FolderBrowser browser, int maxTags) {
        this.connector = connector;
        this.browser = browser;
        this.maxTags = maxTags;
    }

    /** The listed tags, before any scan: they are subscribed at once. */
    List<TagSettings> listed() {
        return TagSelection.select(connector.tags(), new TreeMap<>(), maxTags).tags();
    }

    TagScan scan(OpcUaClient client, UShort namespace) throws UaException {
        boolean units = connector.autoCreateMeters();
        SortedMap<String, TagSettings> inFolders = new TreeMap<>();
        Map<String, FolderSettings> folderOf = new TreeMap<>();
        Map<String, String> unitOf = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        Map<String, String> problems = new TreeMap<>();
        for (FolderSettings folder : connector.folders()) {
            FolderBrowser.Result result = browser.browse(client, namespace, List.of(folder.path()), units);
            result.refusedFolders().forEach((path, reason) -> problems.put(path, "folder refused by the gateway: " + reason));
            String statusTag = folder.statusTagPath();
            for (FolderBrowser.Found found : result.found()) {
                if (found.skipReason() != null) {
                    skipped.putIfAbsent(found.path(), found.skipReason());
                } else if (!inFolders.containsKey(found.path())) {
                    inFolders.put(found.path(), new TagSettings(found.path(), null, null,
                            found.path().equals(statusTag) ? folder.assetStatus().forTag() : null));
                    folderOf.put(found.path(), folder);
                    if (found.unit() != null) {
                        unitOf.put(found.path(), found.unit());
                    }
                }
            }
            if (statusTag != null && !inFolders.containsKey(statusTag)) {
                problems.put(statusTag, "asset-status tag of folder " + folder.path() + " not found there"
                        + (skipped.containsKey(statusTag) ? " as a boolean or integer tag (" + skipped.get(statusTag) + ")" : ""));
            }
        }
        TagSelection selection = TagSelection.select(connector.tags(), inFolders, maxTags);
        List<MeterDirectory.MeterNeed> needs = new ArrayList<>();
        if (connector.autoCreateMeters()) {
            List<NodeId> listedWithoutMeter = connector.tags().stream().filter(t -> !t.hasMeterId())
                    .map(t -> new NodeId(namespace, t.path())).toList();
            if (!listedWithoutMeter.isEmpty()) {
                unitOf.putAll(browser.units(client, listedWithoutMeter));
            }
            for (TagSettings tag : selection.tags()) {
                if (!tag.hasMeterId()) {
                    FolderSettings folder = folderOf.get(tag.path());
                    Long asset = folder != null && folder.assetId() != null ? folder.assetId() : connector.assetId();
                    needs.add(new MeterDirectory.MeterNeed(tag.path(), unitOf.get(tag.path()), asset));
                }
            }
        }
        return new TagScan(Instant.now(), selection.found(), selection.tags(), selection.dropped(), selection.max(), skipped, problems, needs);
    }
}
