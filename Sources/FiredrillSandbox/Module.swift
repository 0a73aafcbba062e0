enum FiredrillSandboxModule {}
