package io.crosszone.lab.scheduler;

/** How the lab's volumes behave: where a claim's data can follow its pod. */
public enum LabStorage {
    /** As the runbook's cluster (cloud block storage, zonal disks): a volume stays in the zone it was made in. */
    ZONAL("zonal", "a claim is bound, when its first pod is scheduled, to a volume in that node's zone; a pod whose"
            + " volume is in another zone stays Pending"),
    /** Network storage: a volume attaches on any node, so data follows its pod everywhere. */
    NETWORK("network", "volumes attach on any node: data follows its pod");

    private final String flag;
    private final String description;

    LabStorage(String flag, String description) {
        this.flag = flag;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public String description() {
        return description;
    }

    public static LabStorage of(String flag) {
        for (LabStorage s : values()) {
            if (s.flag.equals(flag)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown storage '" + flag + "': zonal or network");
    }
}
