package io.quarkiverse.ambrosia.deployment;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.MediaType;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import io.quarkiverse.ambrosia.runtime.rest.AcceptedCallMapper;
import io.quarkiverse.ambrosia.runtime.rest.HttpCallOptionsSource;
import io.quarkiverse.ambrosia.runtime.rest.ImpulseResource;
import io.quarkiverse.ambrosia.runtime.rest.KeyReusedExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.OutcomeUnknownExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.OverloadedExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.PendingExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.RecordedOffsetFilter;
import io.quarkiverse.ambrosia.runtime.rest.RecordedResponses;
import io.quarkiverse.ambrosia.runtime.rest.UnavailableExceptionMapper;
import io.quarkiverse.ambrosia.runtime.rest.UndecodableRequestMapper;
import io.quarkiverse.ambrosia.runtime.rest.jackson.ImpulseBodyReader;
import io.quarkiverse.ambrosia.runtime.rest.jackson.MismatchedBodyMapper;
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
import io.quarkus.resteasy.reactive.spi.ExceptionMapperBuildItem;
import io.quarkus.resteasy.reactive.spi.MessageBodyReaderBuildItem;

/**
 * Impulses over HTTP: problem-details answers for the extension's exceptions, the caller's principal recorded with
 * each call, and the rule that {@code @Impulse} belongs on immortals.
 */
class ImpulseEndpointProcessor {

    // below the application's own mappers (Priorities.USER, 5000, by default), above Quarkus REST's built-in ones
    private static final int UNDECODABLE_REQUEST_PRIORITY = 5050;

    @BuildStep
    AdditionalIndexedClassesBuildItem exceptionMappers(Capabilities capabilities) {
        if (!capabilities.isPresent(Capability.REST)) {
            return null;
        }
        return new AdditionalIndexedClassesBuildItem(UnavailableExceptionMapper.class.getName(),
                OverloadedExceptionMapper.class.getName(), OutcomeUnknownExceptionMapper.class.getName(),
                PendingExceptionMapper.class.getName(), KeyReusedExceptionMapper.class.getName(),
                AcceptedCallMapper.class.getName(), ImpulseResource.class.getName(),
                RecordedOffsetFilter.class.getName());
    }

    /**
     * Problem details naming the field for requests to immortal endpoints that do not decode, and their JSON bodies read
     * as recorded arguments need. Only applications with such endpoints get these mappers and reader; they leave every
     * other endpoint as Quarkus REST has it.
     */
    @BuildStep
    void undecodableRequestProblems(Capabilities capabilities, CombinedIndexBuildItem index,
            BuildProducer<ExceptionMapperBuildItem> mappers, BuildProducer<MessageBodyReaderBuildItem> readers) {
        if (!capabilities.isPresent(Capability.REST) || !hasImmortalEndpoints(index.getIndex())) {
            return;
        }
        mappers.produce(new ExceptionMapperBuildItem(UndecodableRequestMapper.class.getName(),
                "jakarta.ws.rs.WebApplicationException", UNDECODABLE_REQUEST_PRIORITY, false));
        if (capabilities.isPresent(Capability.REST_JACKSON)) {
            mappers.produce(new ExceptionMapperBuildItem(MismatchedBodyMapper.class.getName(),
                    "com.fasterxml.jackson.databind.exc.MismatchedInputException", UNDECODABLE_REQUEST_PRIORITY, false));
            // ahead of Quarkus REST Jackson's reader, which it leaves every endpoint that is not an immortal's
            readers.produce(new MessageBodyReaderBuildItem.Builder(ImpulseBodyReader.class.getName(),
                    Object.class.getName()).setMediaTypeStrings(List.of(MediaType.APPLICATION_JSON))
                    .setRuntimeType(RuntimeType.SERVER).setBuiltin(false).setPriority(Priorities.USER).build());
        }
    }

    private static boolean hasImmortalEndpoints(IndexView index) {
        for (AnnotationInstance immortal : index.getAnnotations(AmbrosiaDotNames.IMMORTAL)) {
            if (immortal.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            for (MethodInfo method : ImmortalValidator.handlerMethods(immortal.target().asClass(), index)) {
                if (ImmortalValidator.isEndpoint(method)) {
                    return true;
                }
            }
        }
        return false;
    }

    @BuildStep
    AdditionalBeanBuildItem callOptions(Capabilities capabilities) {
        if (!capabilities.isPresent(Capability.REST)) {
            return null;
        }
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(HttpCallOptionsSource.class, ImpulseResource.class, RecordedResponses.class)
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
