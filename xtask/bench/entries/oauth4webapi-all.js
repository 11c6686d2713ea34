// The whole of oauth4webapi (every export kept): the library's full size, for scale.
export * from 'oauth4webapi';
