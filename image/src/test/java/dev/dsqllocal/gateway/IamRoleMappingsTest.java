package dev.dsqllocal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IamRoleMappingsTest {

    @Test
    void anAssumedRoleSessionIsTrustedThroughItsRole() {
        assertThat(IamRoleMappings.roleOfAssumedRoleSession("arn:aws:sts::123456789012:assumed-role/app/build-42"))
                .isEqualTo("arn:aws:iam::123456789012:role/app");
        assertThat(IamRoleMappings.roleOfAssumedRoleSession("arn:aws:iam::123456789012:user/alice"))
                .isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(IamRoleMappings.roleOfAssumedRoleSession("arn:aws:iam::123456789012:role/app"))
                .isEqualTo("arn:aws:iam::123456789012:role/app");
    }
}
