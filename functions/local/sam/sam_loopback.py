"""Runs the AWS SAM CLI (pinned: 1.170.0) with everything it starts kept on loopback.

    python sam_loopback.py local invoke|start-api ...     (the same arguments as `sam`)

SAM CLI 1.170.0 on its own does not keep to loopback here, even with `--docker-network host`
(docs/sam-local.md): samcli/local/docker/container.py attaches a network only when it is not
"host", so a function's container lands on Docker's bridge with the emulator's port published,
and the image SAM derives from the base image (adding its emulator under /var/rapid) is built on
the bridge too. This wrapper changes, in this process only:

1. every container SAM creates runs with network_mode "host" and no published ports;
2. SAM's emulator in the container (/var/rapid/aws-lambda-rie) listens on 127.0.0.1 at the port
   SAM chose for it, and its runtime API on another free loopback port (its defaults, 0.0.0.0:8080
   and 127.0.0.1:9001, would be open to the network and collide between warm containers);
3. image builds run with network_mode "host" and never pull;
4. the variables in LOCAL_ENDPOINT_VARIABLES given through --env-vars reach the functions although
   the template does not declare them (SAM passes only declared ones): they point the AWS SDK at
   the emulators on loopback (LocalStack). Nothing else the template does not declare is passed;
5. no AWS account lookup: SAM's STS and instance-metadata lookups are refused before they leave
   the machine (the default account id 123456789012 is used, as SAM does when the lookup fails).

Each change checks that SAM still has the shape it was written for and stops with a message when
it does not, so a SAM upgrade fails loudly instead of silently leaving loopback.
"""
import os
import sys
import threading

EXPECTED_SAM_VERSION = "1.170.0"
LOCAL_ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL", "DYNAMODB_ENDPOINT")
RIE = "/var/rapid/aws-lambda-rie"


def fail(message):
    sys.stderr.write("sam_loopback.py: %s\n" % message)
    sys.exit(2)


def main():
    # boto3 must not look for credentials or an account on the network (IMDS, STS).
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ.setdefault("SAM_CLI_TELEMETRY", "0")

    import samcli
    if samcli.__version__ != EXPECTED_SAM_VERSION:
        fail("written for SAM CLI %s, found %s: check the patches below against the new version"
             % (EXPECTED_SAM_VERSION, samcli.__version__))

    import botocore.client
    import docker.api.build
    import docker.models.containers
    import samcli.local.docker.container as sam_container
    import samcli.local.lambdafn.env_vars as sam_env_vars

    # 1. Host network, no published ports, for every container SAM creates.
    create = docker.models.containers.ContainerCollection.create

    def create_on_host_network(self, image, command=None, **kwargs):
        kwargs.pop("ports", None)
        kwargs.pop("network", None)
        kwargs["network_mode"] = "host"
        return create(self, image, command, **kwargs)

    docker.models.containers.ContainerCollection.create = create_on_host_network

    # 2. The emulator on loopback, on the port SAM talks to, with its runtime API on a port of its own.
    #    Ports are handed out once per process so warm containers created together never share one.
    handed_out = set()
    lock = threading.Lock()
    find_free_port = sam_container.find_free_port

    def distinct_free_port(network_interface="127.0.0.1", start=5000, end=9000):
        with lock:
            while True:
                port = find_free_port(network_interface=network_interface, start=start, end=end)
                if port not in handed_out:
                    handed_out.add(port)
                    return port
                start = port + 1

    sam_container.find_free_port = distinct_free_port
    container_create = sam_container.Container.create

    def create_with_loopback_emulator(self, context):
        entrypoint = getattr(self, "_entrypoint", None)
        if not isinstance(entrypoint, list) or not entrypoint or entrypoint[0] != RIE:
            fail("SAM's container entrypoint is %r, expected %s first" % (entrypoint, RIE))
        runtime_api_port = distinct_free_port("127.0.0.1", 9001, 9999)
        self._entrypoint = entrypoint + [
            "--runtime-interface-emulator-address", "127.0.0.1:%d" % self.rapid_port_host,
            "--runtime-api-address", "127.0.0.1:%d" % runtime_api_port,
        ]
        return container_create(self, context)

    sam_container.Container.create = create_with_loopback_emulator

    # 3. Image builds (SAM's emulator layer on the base image): host network, never pull.
    build = docker.api.build.BuildApiMixin.build

    def build_on_host_network(self, *args, **kwargs):
        kwargs["network_mode"] = "host"
        kwargs["pull"] = False
        return build(self, *args, **kwargs)

    docker.api.build.BuildApiMixin.build = build_on_host_network

    # 4. The local endpoints, although undeclared in the template.
    resolve = sam_env_vars.EnvironmentVariables.resolve

    def resolve_with_local_endpoints(self):
        result = resolve(self)
        for name in LOCAL_ENDPOINT_VARIABLES:
            if name in self.override_values:
                result[name] = str(self.override_values[name])
        return result

    sam_env_vars.EnvironmentVariables.resolve = resolve_with_local_endpoints

    # 5. No account lookup through STS (SAM falls back to its default account id when it fails).
    make_api_call = botocore.client.BaseClient._make_api_call

    def no_sts(self, operation_name, api_params):
        if self.meta.service_model.service_name == "sts":
            raise botocore.exceptions.NoCredentialsError()
        return make_api_call(self, operation_name, api_params)

    import botocore.exceptions
    botocore.client.BaseClient._make_api_call = no_sts

    from samcli.cli.main import cli
    sys.argv[0] = "sam"
    cli()


if __name__ == "__main__":
    main()
