// Brings the type augmentations of the Fastify plugins in use (cookies, OpenAPI tags) into scope.
import '@fastify/cookie';
import '@fastify/swagger';
import '@fastify/websocket';
