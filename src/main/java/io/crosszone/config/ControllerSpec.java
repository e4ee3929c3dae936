package io.crosszone.config;

/** The Controller CR to create when the deployment has none, and where it should run. */
public class ControllerSpec {
    private String image = "ghcr.io/ksmartdata/rocketmq-controller:v5.1.4";
    private String imagePullPolicy = "IfNotPresent";
    private int size = 1;
    private String storageMode = "StorageClass";
    private String storageSize = "1Gi";
    private String storageClassName;
    private String hostPath = "/data/rocketmq/controller";
    private String memory = "2Gi";
    /** The zone that should host the controller; null means the last zone (the runbook's zone B). */
    private String zone;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(String imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public String getStorageMode() {
        return storageMode;
    }

    public void setStorageMode(String storageMode) {
        this.storageMode = storageMode;
    }

    public String getStorageSize() {
        return storageSize;
    }

    public void setStorageSize(String storageSize) {
        this.storageSize = storageSize;
    }

    public String getStorageClassName() {
        return storageClassName;
    }

    public void setStorageClassName(String storageClassName) {
        this.storageClassName = storageClassName;
    }

    public String getHostPath() {
        return hostPath;
    }

    public void setHostPath(String hostPath) {
        this.hostPath = hostPath;
    }

    public String getMemory() {
        return memory;
    }

    public void setMemory(String memory) {
        this.memory = memory;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }
}
