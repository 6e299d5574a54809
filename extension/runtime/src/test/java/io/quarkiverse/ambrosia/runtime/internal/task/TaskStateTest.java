package io.quarkiverse.ambrosia.runtime.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A task's states change only along {@link TaskState#next()}; anything else is a loud error, and a stopped task stays
 * stopped.
 */
class TaskStateTest {

    @Test
    void aTaskRecoversGoesLiveAndRecoversAgainAfterAFailure() {
        TaskStatus status = new TaskStatus();
        assertThat(status.state()).isEqualTo(TaskState.RECOVERING);
        assertThat(status.change(TaskState.LIVE, "live")).isTrue();
        assertThat(status.change(TaskState.RECOVERING, "recovering after: broker gone")).isTrue();
        assertThat(status.describe()).isEqualTo("recovering: recovering after: broker gone");
        assertThat(status.change(TaskState.LIVE, "live")).isTrue();
        assertThat(status.describe()).isEqualTo("live");
    }

    @Test
    void aFencedTaskNeverRecoversAgain() {
        TaskStatus status = new TaskStatus();
        status.change(TaskState.LIVE, "live");
        status.change(TaskState.FENCED, "fenced by a newer instance with transactional id p.Counter-0");
        assertThatThrownBy(() -> status.change(TaskState.RECOVERING, "recovering"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a task that is fenced (fenced by a newer instance with transactional id p.Counter-0) cannot"
                        + " become recovering (recovering)");
        assertThatThrownBy(() -> status.change(TaskState.LIVE, "live")).isInstanceOf(IllegalStateException.class);
        assertThat(status.state()).isEqualTo(TaskState.FENCED);
        assertThat(status.change(TaskState.STOPPED, "stopped")).isTrue();
    }

    @Test
    void aLiveTaskIsNotLiveTwiceAndAFailedOneOnlyStops() {
        TaskStatus status = new TaskStatus();
        status.change(TaskState.LIVE, "live");
        assertThatThrownBy(() -> status.change(TaskState.LIVE, "live")).isInstanceOf(IllegalStateException.class);
        status.change(TaskState.FAILED, "log trimmed");
        assertThat(TaskState.FAILED.next()).containsExactly(TaskState.STOPPED);
        assertThatThrownBy(() -> status.change(TaskState.RECOVERING, "again")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStoppedTaskIgnoresTheChangesOfADispatcherStillWindingDown() {
        TaskStatus status = new TaskStatus();
        status.change(TaskState.STOPPED, "stopped");
        assertThat(status.change(TaskState.RECOVERING, "recovering after: interrupted")).isFalse();
        assertThat(status.state()).isEqualTo(TaskState.STOPPED);
        assertThat(status.detail()).isEqualTo("stopped");
    }

    @Test
    void onlyTasksThatWillNotRunCallsRefuseThem() {
        assertThat(TaskState.RECOVERING.refusesCalls()).isFalse();
        assertThat(TaskState.LIVE.refusesCalls()).isFalse();
        assertThat(TaskState.FENCED.refusesCalls()).isTrue();
        assertThat(TaskState.FAILED.refusesCalls()).isTrue();
        assertThat(TaskState.STOPPED.refusesCalls()).isTrue();
    }
}
