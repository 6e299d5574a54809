package io.quarkiverse.ambrosia.deployment;

import java.util.ArrayList;
import java.util.List;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.MethodInfo;

import io.quarkiverse.ambrosia.runtime.rest.AcceptedCallMapper;
import io.quarkiverse.ambrosia.runtime.rest.HttpCallOptionsSource;
import io.quarkiverse.ambrosia.runtime.rest.ImpulseResource;
import io.quarkiverse.ambrosia.runtime.rest.KeyReusedExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.OutcomeUnknownExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.OverloadedExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.PendingExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.UnavailableExceptionMapper;
import io.quarkiverse.ambrosia.runtime.security.RecordedCallScope;
import io.quarkiverse.ambrosia.runtime.security.SecurityPrincipalSource;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;

/**
 * Impulses over HTTP: problem-details answers for the extension's exceptions, the caller's principal recorded with
 * each call, and the rule that {@code @Impulse} belongs on immortals.
 */
class ImpulseEndpointProcessor {

    @BuildStep
    AdditionalIndexedClassesBuildItem exceptionMappers(Capabilities capabilities) {
        if (!capabilities.isPresent(Capability.REST)) {
            return null;
        }
        return new AdditionalIndexedClassesBuildItem(UnavailableExceptionMapper.class.getName(),
                OverloadedExceptionMapper.class.getName(), OutcomeUnknownExceptionMapper.class.getName(),
                PendingExceptionMapper.class.getName(), KeyReusedExceptionMapper.class.getName(),
                AcceptedCallMapper.class.getName(), ImpulseResource.class.getName());
    }

    @BuildStep
    AdditionalBeanBuildItem callOptions(Capabilities capabilities) {
        if (!capabilities.isPresent(Capability.REST)) {
            return null;
        }
        return AdditionalBeanBuildItem.builder().addBeanClasses(HttpCallOptionsSource.class, ImpulseResource.class)
                .setUnremovable().build();
    }

    @BuildStep
    AdditionalBeanBuildItem principalSource(Capabilities capabilities) {
        if (!capabilities.isPresent(Capability.SECURITY)) {
            return null;
        }
        return AdditionalBeanBuildItem.builder().addBeanClasses(SecurityPrincipalSource.class, RecordedCallScope.class)
                .setUnremovable().build();
    }

    @BuildStep
    void impulsesOnImmortalsOnly(CombinedIndexBuildItem index, BuildProducer<ValidationErrorBuildItem> errors) {
        List<Throwable> problems = new ArrayList<>();
        for (AnnotationInstance impulse : index.getIndex().getAnnotations(AmbrosiaDotNames.IMPULSE)) {
            if (impulse.target().kind() != AnnotationTarget.Kind.METHOD) {
                continue;
            }
            MethodInfo method = impulse.target().asMethod();
            if (!method.declaringClass().hasDeclaredAnnotation(AmbrosiaDotNames.IMMORTAL)) {
                problems.add(new IllegalStateException("@Impulse method " + method.declaringClass().name() + "."
                        + method.name() + "() is not in an @Immortal class: impulses are recorded in an immortal's log;"
                        + " annotate the class with @Immortal or remove @Impulse"));
            }
        }
        if (!problems.isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(problems));
        }
    }
}
