public enum ParleyStoreModule {}
