package io.quarkiverse.ambrosia.deployment;

import java.util.ArrayList;
import java.util.List;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTransformation;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.MethodInfo;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.AnnotationsTransformerBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;

/**
 * {@code @Scheduled} methods of immortals are timer impulses: each tick is recorded like any other call, and only by
 * the instance where the immortal is live. Every such method skips unless live (its {@code skipExecutionIf}), unless
 * the application chose its own predicate.
 */
class ScheduledImpulseProcessor {

    private static final DotName SCHEDULED = DotName.createSimple("io.quarkus.scheduler.Scheduled");
    private static final DotName SCHEDULES = DotName.createSimple("io.quarkus.scheduler.Scheduled$Schedules");
    private static final String SKIP_EXECUTION_IF = "skipExecutionIf";
    private static final String SKIP_UNLESS_LIVE = "io.quarkiverse.ambrosia.runtime.scheduler.SkipUnlessLive";

    @BuildStep
    void timerImpulses(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans,
            BuildProducer<AnnotationsTransformerBuildItem> transformers) {
        if (!capabilities.isPresent(Capability.SCHEDULER)) {
            return;
        }
        beans.produce(AdditionalBeanBuildItem.unremovableOf(SKIP_UNLESS_LIVE));
        transformers.produce(new AnnotationsTransformerBuildItem(AnnotationTransformation.forMethods()
                .whenMethod(ScheduledImpulseProcessor::isScheduledImmortalMethod)
                .transform(context -> {
                    List<AnnotationInstance> changed = new ArrayList<>();
                    for (AnnotationInstance annotation : context.annotations()) {
                        if (annotation.name().equals(SCHEDULED)) {
                            changed.add(skipUnlessLive(annotation));
                        } else if (annotation.name().equals(SCHEDULES)) {
                            AnnotationInstance[] schedules = annotation.value().asNestedArray();
                            AnnotationValue[] nested = new AnnotationValue[schedules.length];
                            for (int i = 0; i < schedules.length; i++) {
                                nested[i] = AnnotationValue.createNestedAnnotationValue("", skipUnlessLive(schedules[i]));
                            }
                            changed.add(AnnotationInstance.create(SCHEDULES, annotation.target(),
                                    List.of(AnnotationValue.createArrayValue("value", nested))));
                        }
                    }
                    context.remove(a -> a.name().equals(SCHEDULED) || a.name().equals(SCHEDULES));
                    context.addAll(changed);
                })));
    }

    private static boolean isScheduledImmortalMethod(MethodInfo method) {
        return method.declaringClass().hasDeclaredAnnotation(AmbrosiaDotNames.IMMORTAL)
                && (method.hasDeclaredAnnotation(SCHEDULED) || method.hasDeclaredAnnotation(SCHEDULES));
    }

    /**
     * @return the annotation with {@code skipExecutionIf = SkipUnlessLive.class}, or as it is if it names its own
     */
    private static AnnotationInstance skipUnlessLive(AnnotationInstance scheduled) {
        if (scheduled.value(SKIP_EXECUTION_IF) != null) {
            return scheduled;
        }
        List<AnnotationValue> values = new ArrayList<>(scheduled.values());
        values.add(AnnotationValue.createClassValue(SKIP_EXECUTION_IF,
                ClassType.create(DotName.createSimple(SKIP_UNLESS_LIVE))));
        return AnnotationInstance.create(SCHEDULED, scheduled.target(), values);
    }
}
