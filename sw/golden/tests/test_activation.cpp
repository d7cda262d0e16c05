// placeholder until the activation tests land
