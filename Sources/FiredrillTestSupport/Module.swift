enum FiredrillTestSupportModule {}
