package io.crosszone.lab.network;

import java.util.List;

/** Makes a lab network, prints its prefix and waits to be killed: a lab that dies without cleaning up. */
public final class LabNetworkHolder {
    private LabNetworkHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        LabNetwork network = LabNetwork.create(List.of("az1", "az2"), System.err::println);
        network.place(network.address(1), "az1");
        System.out.println(network.prefix() + " " + network.block());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
