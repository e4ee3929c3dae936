package io.crosszone.config;

/** Names of the RocketMQ operator custom resources of one deployment. */
public class ResourceNames {
    private String broker = "broker";
    private String nameService = "namesrv";
    private String controller = "controller";
    /** Optional: a console to restart after a zone loss; null when there is none. */
    private String console;

    public String getBroker() {
        return broker;
    }

    public void setBroker(String broker) {
        this.broker = broker;
    }

    public String getNameService() {
        return nameService;
    }

    public void setNameService(String nameService) {
        this.nameService = nameService;
    }

    public String getController() {
        return controller;
    }

    public void setController(String controller) {
        this.controller = controller;
    }

    public String getConsole() {
        return console;
    }

    public void setConsole(String console) {
        this.console = console;
    }
}
