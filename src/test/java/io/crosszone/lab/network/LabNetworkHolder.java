package io.crosszone.lab.network;

import java.util.List;

/** Makes a lab network, prints its prefix and waits to be killed: a lab that dies without cleaning up. */
public final class LabNetworkHolder {
    private LabNetworkHolder() {
    }

    /** No arguments: hold a lab network. {@code trylock FILE}: exit 0 if this process could lock FILE, 1 if not. */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("trylock")) {
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[1]),
                    java.nio.file.StandardOpenOption.WRITE)) {
                System.exit(c.tryLock() != null ? 0 : 1);
            }
        }
        LabNetwork network = LabNetwork.create(List.of("az1", "az2"), System.err::println);
        network.place(network.address(1), "az1");
        System.out.println(network.prefix() + " " + network.block());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
