package dev.handoff.provisioner.provider.hetzner;

import dev.handoff.contracts.vocabulary.NodeSize;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSizeTest {

    @Test
    void eachSizeHasItsHetznerServerType() {
        assertThat(ServerSize.named("small").serverType()).isEqualTo("cx23");
        assertThat(ServerSize.named("Medium").serverType()).isEqualTo("cx33");
        assertThat(ServerSize.named(" large ").serverType()).isEqualTo("cx43");
    }

    @Test
    void everyNodeSizeOfTheContractsHasAServerType() {
        for (NodeSize size : NodeSize.values()) {
            assertThat(ServerSize.of(size).serverType()).as(size.wireName()).isNotBlank();
        }
    }

    @Test
    void anUnknownSizeIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> ServerSize.named("huge")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("use small, medium or large");
    }

    @Test
    void labelsMarkTheServerAsHandoffsAndNameItsNode() {
        assertThat(HandoffLabels.forNode("node-1a2b"))
            .containsEntry("managed-by", "handoff").containsEntry("handoff-node", "node-1a2b");
        assertThat(HandoffLabels.selectorForNode("node-1a2b")).isEqualTo("managed-by=handoff,handoff-node=node-1a2b");
        assertThat(HandoffLabels.serverName("node-1a2b")).isEqualTo("handoff-node-1a2b");
    }
}
