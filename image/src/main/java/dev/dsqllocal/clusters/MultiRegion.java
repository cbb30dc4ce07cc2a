package dev.dsqllocal.clusters;

import java.util.List;
import java.util.Optional;

/** multiRegionProperties as given: a witness region and the peer clusters. */
public record MultiRegion(Optional<String> witnessRegion, List<String> peerArns) {
    public MultiRegion {
        peerArns = List.copyOf(peerArns);
    }
}
