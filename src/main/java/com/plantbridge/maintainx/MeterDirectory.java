package com.plantbridge.maintainx;

import java.util.List;

import com.plantbridge.reading.LastReading;
import com.plantbridge.settings.ConnectorSettings;

/**
 * The meters of tags that have no {@code meter-id} in the settings (folder tags, or listed tags of
 * a connector with {@code auto-create-meters: true}): found in MaintainX by name, or created.
 */
public interface MeterDirectory {

    /** The meter of a tag of the connector; 0 while none is known yet. */
    long meterOf(String connector, String tagPath);

    /** These tags of the connector (from its latest scan) have no meter yet: find or create them. */
    void need(ConnectorSettings connector, List<MeterNeed> needs);

    /** Told, per connector, when a tag's meter becomes known. */
    void addListener(String connector, Listener listener);

    void removeListener(String connector, Listener listener);

    /** A tag whose meter was not known. */
    interface Listener {
        /**
         * What the tag's meter holds (MaintainX's last reading, or the newest reading that waited
         * for it), told before any value of the tag can see the meter; null for nothing (a new meter).
         */
        void meterReference(String tagPath, LastReading lastReading);

        /** The tag's meter is known now. */
        void meterFound(String tagPath, long meterId);
    }

    /**
     * A tag that needs a meter.
     *
     * @param unit    the tag's engineering units, or null (the connector's default-unit is used)
     * @param assetId the asset the meter is tied to, or null
     */
    record MeterNeed(String tagPath, String unit, Long assetId) {
    }

    /** No tag ever gets a meter this way (tests of the tag rules). */
    MeterDirectory NONE = new MeterDirectory() {
        @Override
        public long meterOf(String connector, String tagPath) {
            return 0;
        }

        @Override
        public void need(ConnectorSettings connector, List<MeterNeed> needs) {
        }

        @Override
        public void addListener(String connector, Listener listener) {
        }

        @Override
        public void removeListener(String connector, Listener listener) {
        }
    };
}
