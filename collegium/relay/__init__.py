"""Delivering an engine's outbox to a message broker: RabbitMQ (AMQP 0-9-1) or NATS JetStream.

:class:`~collegium.relay.relay.Relay` (``collegium.Relay``) does it in the library, ``collegium
relay`` on the command line. The target URL's form is in :mod:`collegium.relay.target`, a message's
id and body in :mod:`collegium.relay.delivery`, each broker's publisher in
:mod:`collegium.relay.amqp` and :mod:`collegium.relay.jetstream`. The brokers' clients (the
``relay`` extra) are imported only when a relay connects.
"""
